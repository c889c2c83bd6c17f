"""Issue 5: stance vs scikit-learn vs fastText on the same splits.

For every set, each of the three systems is trained and scored on exactly the same
train/test splits; the script prints macro-F1, accuracy and fit time per system and set,
marks the best macro-F1 of each set, and writes the table to bench/out/models.md.

    bench/run.sh models                      # or, inside bench/.venv:
    python bench/compare_models.py [--folds 5] [--seed 13] [--sets deft,efra,...]
    bench/run.sh models --sets project-stance-context-cv -o bench/out/models-cv.md
    bench/run.sh models --sets efra,project-stance-around-cv --repeats 3 -o bench/out/models-cv.md

The systems:
- stance: `stance train train.csv --label-column label -o m.stance` (default settings),
  then `stance evaluate test.csv ... -o r.json`; fit time is the train command's wall time.
- scikit-learn: word 1-2-gram (min_df 2) + char_wb 2-5-gram sublinear TF-IDF, then
  LogisticRegression(C=10, max_iter=1000, lbfgs); fit time is Pipeline.fit.
- fastText supervised (wordNgrams 2, minn 2, maxn 5, epoch 25, lr 0.5, one thread);
  fit time is train_supervised, reading its training file included.

How sure each margin is: on a train → test set, a paired bootstrap of the test rows
(`--bootstrap` resamples; whole dispatches on the project's sets, whose statements are
not independent) gives the 95 % interval of stance's macro-F1 minus the best other
system's, and the share of resamples where stance is ahead. On a k-fold set, the
folds stance is ahead in.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import common
from common import Split

TOOLS = ["stance", "sklearn", "fastText"]  # sklearn = scikit-learn
# Sets run only when named with --sets.
OPT_IN = {"project-stance-context-cv", "project-stance-around-cv"}


@dataclass
class Benchmark:
    """A labelled set and the splits every system is scored on."""

    key: str
    name: str
    protocol: str
    splits: list


@dataclass
class Score:
    """One system on one split."""

    macro_f1: float
    accuracy: float
    fit_seconds: float
    predicted: list


# --------------------------------------------------------------------------- sets


def cv_splits(texts: list, labels: list, folds: int, seed: int, repeats: int = 1) -> list:
    """Stratified k-fold splits, `repeats` times (repeat r shuffled with `seed + r`)."""
    from sklearn.model_selection import StratifiedKFold

    splits = []
    for r in range(repeats):
        kfold = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed + r)
        for train, test in kfold.split(texts, labels):
            splits.append(Split([texts[i] for i in train], [labels[i] for i in train],
                                [texts[i] for i in test], [labels[i] for i in test]))
    return splits


def load_benchmarks(folds: int, seed: int, keys: set | None, repeats: int = 1) -> list:
    """The five benchmarks of issue 5 and the project's readings, restricted to `keys`
    when given; k-fold sets `repeats` times."""
    cv = f"{folds}-fold" if repeats == 1 else f"{repeats} × {folds}-fold"
    loaders = {
        "deft": lambda: Benchmark("deft", "DEFT-2017 sentiment (tweets)", "train → val",
                                  [common.deft_split()]),
        "efra": lambda: _cv_benchmark("efra", "EFRA Macron stance (tweets)",
                                      common.DATA / "stance-fr-efra-macron" / "train.csv",
                                      folds, seed, repeats, with_question=False),
        "xstance": lambda: _cv_benchmark("xstance", "x-stance FR (question [SEP] comment)",
                                         common.DATA / "stance-fr-xstance" / "valid.csv",
                                         folds, seed, repeats, with_question=True),
        "project-stance": lambda: Benchmark("project-stance", "Karabakh stance (project)",
                                            "train → test split",
                                            [common.project_split("stance")]),
        "project-sentiment": lambda: Benchmark("project-sentiment",
                                               "Karabakh sentiment (project)",
                                               "train → test split",
                                               [common.project_split("sentiment")]),
        "project-stance-context": lambda: Benchmark(
            "project-stance-context", "Karabakh stance, speaker's affiliation in front",
            "train → test split", [common.project_split("stance", reading="affiliation")]),
        "project-sentiment-context": lambda: Benchmark(
            "project-sentiment-context", "Karabakh sentiment, speaker's affiliation in front",
            "train → test split", [common.project_split("sentiment", reading="affiliation")]),
        "project-stance-around": lambda: Benchmark(
            "project-stance-around",
            "Karabakh stance, affiliation and words around (shipped reading)",
            "train → test split", [common.project_split("stance", reading="around")]),
        "project-sentiment-around": lambda: Benchmark(
            "project-sentiment-around",
            "Karabakh sentiment, affiliation and words around (shipped reading)",
            "train → test split", [common.project_split("sentiment", reading="around")]),
        # opt-in (--sets): the test rows' comparisons with less noise
        "project-stance-context-cv": lambda: Benchmark(
            "project-stance-context-cv", "Karabakh stance, speaker's affiliation in front",
            f"{cv} CV on the train split, grouped by dispatch (stance's folds first)",
            common.project_cv_splits("stance", folds, repeats=repeats, seed=seed)),
        "project-stance-around-cv": lambda: Benchmark(
            "project-stance-around-cv",
            "Karabakh stance, affiliation and words around (shipped reading)",
            f"{cv} CV on the train split, grouped by dispatch (stance's folds first)",
            common.project_cv_splits("stance", folds, reading="around", repeats=repeats,
                                     seed=seed)),
    }
    unknown = (keys or set()) - loaders.keys()
    if unknown:
        sys.exit(f"unknown set(s) {sorted(unknown)}; choose from {sorted(loaders)}")
    return [load() for key, load in loaders.items()
            if (key in keys if keys else key not in OPT_IN)]


def _cv_benchmark(key: str, name: str, path: Path, folds: int, seed: int, repeats: int,
                  with_question: bool) -> Benchmark:
    """A k-fold benchmark over one CSV; with_question prepends `question [SEP] `."""
    rows = common.read_csv(path)
    if with_question:
        texts = [f"{r['question']} [SEP] {r['text']}" for r in rows]
    else:
        texts = [r["text"] for r in rows]
    labels = [r["label"] for r in rows]
    cv = f"{folds}-fold" if repeats == 1 else f"{repeats} × {folds}-fold"
    return Benchmark(key, name, f"{cv} stratified CV (seed {seed})",
                     cv_splits(texts, labels, folds, seed, repeats))


# --------------------------------------------------------------------------- systems


def score_stance(binary: Path, split: Split, workdir: Path) -> Score:
    """Train and evaluate with the stance CLI."""
    fit, model = common.stance_train(binary, split, workdir)
    report = common.stance_evaluate(binary, split, model, workdir)
    return Score(report["macro_f1"], report["accuracy"], fit, report["predicted"])


def score_sklearn(split: Split) -> Score:
    """Train and evaluate the reference scikit-learn pipeline."""
    pipeline = common.sklearn_pipeline()
    fit, _ = common.timed(pipeline.fit, split.train_texts, split.train_labels)
    predicted = list(pipeline.predict(split.test_texts))
    f1, accuracy = common.scores(split.test_labels, predicted)
    return Score(f1, accuracy, fit, predicted)


def score_fasttext(split: Split, workdir: Path) -> Score:
    """Train and evaluate fastText supervised."""
    fit, model = common.fasttext_train(split.train_texts, split.train_labels, workdir)
    predicted, _ = common.fasttext_predict(model, split.test_texts)
    predicted = [row[0] for row in predicted]
    f1, accuracy = common.scores(split.test_labels, predicted)
    return Score(f1, accuracy, fit, predicted)


def score_all(binary: Path, benchmark: Benchmark, workdir: Path) -> dict:
    """Every system on every split of `benchmark`: {tool: [Score per split]}."""
    results = {tool: [] for tool in TOOLS}
    for i, split in enumerate(benchmark.splits):
        print(f"  {benchmark.key} split {i + 1}/{len(benchmark.splits)}: "
              f"{len(split.train_texts)} train, {len(split.test_texts)} test",
              file=sys.stderr)
        fold_dir = workdir / benchmark.key / f"split{i + 1}"
        results["stance"].append(score_stance(binary, split, fold_dir))
        results["sklearn"].append(score_sklearn(split))
        results["fastText"].append(score_fasttext(split, fold_dir))
    return results


# --------------------------------------------------------------------------- margins


def weighted_macro_f1(gold, predicted, labels, weights):
    """Macro-F1 over `labels` with each row counted `weights[i]` times (numpy arrays of
    label indices); a class with no true and no predicted row scores 0, as in
    `common.scores`."""
    import numpy as np

    f1s = []
    for c in range(len(labels)):
        g, p = gold == c, predicted == c
        tp = weights[g & p].sum()
        fp_fn = weights[g ^ p].sum()
        f1s.append(2 * tp / (2 * tp + fp_fn) if tp + fp_fn > 0 else 0.0)
    return float(np.mean(f1s))


def bootstrap_margin(split: Split, ours: list, theirs: list, resamples: int,
                     seed: int) -> tuple:
    """Paired bootstrap of macro-F1(ours) − macro-F1(theirs) on the split's test rows:
    whole groups (`split.test_groups`, dispatches) are drawn with replacement, else
    single rows. Each system keeps the label set of its full-sample score. Returns the
    2.5 and 97.5 percentiles of the margin and the share of resamples where `ours` is
    ahead."""
    import numpy as np

    gold = split.test_labels
    groups = split.test_groups or list(range(len(gold)))
    ids = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    group_of = np.array([ids[g] for g in groups])

    def encode(predicted):
        labels = sorted(set(gold) | set(predicted))
        index = {l: i for i, l in enumerate(labels)}
        return (np.array([index[l] for l in gold]), np.array([index[l] for l in predicted]),
                labels)

    a, b = encode(ours), encode(theirs)
    rng = np.random.default_rng(seed)
    margins = []
    for _ in range(resamples):
        drawn = np.bincount(rng.integers(0, len(ids), len(ids)), minlength=len(ids))
        weights = drawn[group_of].astype(float)
        margins.append(weighted_macro_f1(*a[:2], a[2], weights)
                       - weighted_macro_f1(*b[:2], b[2], weights))
    margins = np.array(margins)
    return (float(np.percentile(margins, 2.5)), float(np.percentile(margins, 97.5)),
            float((margins > 0).mean()))


def margin_cells(benchmark: Benchmark, results: dict, other: str, resamples: int,
                 seed: int) -> list:
    """How sure stance's margin over `other` is: on one split, the bootstrap's 95 %
    interval and the share of resamples stance is ahead in; on k folds, the folds it is
    ahead in."""
    ours, theirs = results["stance"], results[other]
    if len(benchmark.splits) == 1:
        lo, hi, ahead = bootstrap_margin(benchmark.splits[0], ours[0].predicted,
                                         theirs[0].predicted, resamples, seed)
        return [f"[{lo:+.3f}, {hi:+.3f}]", f"{ahead:.0%} of resamples"]
    wins = sum(o.macro_f1 > t.macro_f1 for o, t in zip(ours, theirs))
    return ["—", f"{wins} of {len(ours)} folds"]


# --------------------------------------------------------------------------- table


def summarise(scores: list) -> dict:
    """Mean macro-F1 (and its standard deviation over folds), accuracy and fit seconds."""
    f1s = [s.macro_f1 for s in scores]
    return {
        "f1": statistics.mean(f1s),
        "f1_sd": statistics.stdev(f1s) if len(f1s) > 1 else None,
        "accuracy": statistics.mean(s.accuracy for s in scores),
        "fit": statistics.mean(s.fit_seconds for s in scores),
    }


def table_rows(benchmarks: list, results: dict, resamples: int, seed: int) -> list:
    """One row per set: macro-F1 (best in bold), accuracy and fit seconds per system,
    and stance's margin over the best other system, with how sure it is."""
    rows = []
    for b in benchmarks:
        summary = {tool: summarise(results[b.key][tool]) for tool in TOOLS}
        best = max(summary[t]["f1"] for t in TOOLS)
        other = max((t for t in TOOLS if t != "stance"), key=lambda t: summary[t]["f1"])
        best_other = summary[other]["f1"]

        def f1_cell(tool):
            s = summary[tool]
            text = f"{s['f1']:.3f}" + (f" ± {s['f1_sd']:.3f}" if s["f1_sd"] is not None else "")
            return f"**{text}**" if s["f1"] == best else text

        split = b.splits[0]
        rows.append(
            [b.name, b.protocol, f"{len(split.train_texts)} / {len(split.test_texts)}"]
            + [f1_cell(t) for t in TOOLS]
            + [f"{summary[t]['accuracy']:.3f}" for t in TOOLS]
            + [f"{summary[t]['fit']:.2f}" for t in TOOLS]
            + [f"{summary['stance']['f1'] - best_other:+.3f} ({other})"]
            + margin_cells(b, results[b.key], other, resamples, seed)
        )
    return rows


def render(benchmarks: list, results: dict, info: dict, resamples: int, seed: int) -> str:
    """The Markdown report: table and the notes needed to read it."""
    header = (["set", "protocol", "train / test rows"]
              + [f"F1 {t}" for t in TOOLS]
              + [f"acc {t}" for t in TOOLS]
              + [f"fit s {t}" for t in TOOLS]
              + ["F1 stance − best other", "its 95 % interval", "stance ahead in"])
    notes = [
        "F1 = macro-F1, acc = accuracy, fit s = training wall seconds; sklearn = "
        "scikit-learn. Best macro-F1 of each set in **bold**. For k-fold sets: mean over folds "
        "(± standard deviation of macro-F1), fit seconds per fold; train / test rows "
        "are those of the first fold.",
        "All three systems see exactly the same splits. x-stance: every system reads "
        "`question + \" [SEP] \" + comment` (the question as context).",
        "stance: default settings (`stance train <csv> --label-column label`), fit = wall "
        "time of the train command (process start, CSV read, tokenizing, fit, model write).",
        "scikit-learn: FeatureUnion(word 1-2 TF-IDF min_df=2, char_wb 2-5 TF-IDF, both "
        "sublinear_tf) + LogisticRegression(C=10, max_iter=1000, lbfgs); fit = Pipeline.fit.",
        f"Margin: stance's macro-F1 minus the best other system's (named). On a train → "
        f"test set, the 95 % interval and the share of {resamples:,} paired bootstrap "
        "resamples of the test rows (seeded) where stance is ahead; the project's sets "
        "resample whole dispatches, since statements of one dispatch are not "
        "independent. On a k-fold set, the folds where stance is ahead.",
        "fastText: supervised, " + ", ".join(f"{k}={v}" for k, v in common.FASTTEXT_PARAMS.items()
                                              if k != "verbose")
        + "; text lower-cased, newlines removed; fit = train_supervised.",
    ]
    return "\n".join([
        "# Model comparison: stance vs scikit-learn vs fastText",
        "",
        common.machine_markdown(info),
        "",
        common.markdown_table(header, table_rows(benchmarks, results, resamples, seed)),
        "",
        *[f"- {n}" for n in notes],
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=5, help="k for the CV sets (default 5)")
    parser.add_argument("--seed", type=int, default=13,
                        help="CV shuffling and bootstrap seed (default 13)")
    parser.add_argument("--repeats", type=int, default=1,
                        help="repeat each k-fold set this many times, shuffled anew "
                             "(default 1)")
    parser.add_argument("--bootstrap", type=int, default=2000,
                        help="paired bootstrap resamples of a train → test set's margin "
                             "(default 2000)")
    parser.add_argument("--sets", help="comma-separated subset of: deft, efra, xstance, "
                                       "project-stance, project-sentiment, project-stance-context, "
                                       "project-sentiment-context, project-stance-around, "
                                       "project-sentiment-around; and, only when named, "
                                       "project-stance-context-cv, project-stance-around-cv")
    parser.add_argument("-o", "--output", type=Path, default=common.OUT / "models.md")
    args = parser.parse_args()

    info = common.machine_info()
    binary = common.stance_binary()
    keys = set(args.sets.split(",")) if args.sets else None
    benchmarks = load_benchmarks(args.folds, args.seed, keys, args.repeats)
    with tempfile.TemporaryDirectory(prefix="stance-models-") as tmp:
        results = {b.key: score_all(binary, b, Path(tmp)) for b in benchmarks}

    report = render(benchmarks, results, info, args.bootstrap, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
