"""Issue 7: how fast is stance next to a Python pipeline, fastText and scikit-learn?

Measured in one run on this machine, pair by pair, each with its absolute numbers and a
ratio (stance time / other time: below 1 means stance is faster):

1. end to end: `stance classify big.jsonl --input-format jsonl -o out.csv --quiet` on a
   generated corpus, against a Python pipeline doing the classification of the same
   statements (read CSV -> TF-IDF + LogisticRegression predict_proba -> write CSV);
2. prediction: `stance evaluate` on ~50k statements against fastText predict;
3. training: `stance train` against scikit-learn's lbfgs LogisticRegression, with
   macro-F1 beside each time;
4. peak memory of `stance classify` at growing input sizes (`/usr/bin/time -v`);
5. start-up plus one dispatch: median of 20 runs of `stance classify one.txt`.

    bench/run.sh speed [--with-1g]           # or, inside bench/.venv:
    python bench/compare_speed.py [--e2e-size 10M] [--sizes 10M,100M] [--with-1g]

Writes the tables to bench/out/speed.md.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import common

MEMORY_LIMIT_MB = 200
FLAT_TOLERANCE = 1.25  # "flat": the largest peak at most 25 % above the smallest


@dataclass
class Context:
    """What every section needs: binaries, scratch folder, repetitions."""

    stance: Path
    generator: Path
    work: Path
    repeat: int


@dataclass
class Row:
    """One line of the summary: a measure, both sides, and whether its target is met."""

    measure: str
    stance: str
    other: str
    ratio: str
    target: str
    met: str


@dataclass
class Section:
    """A section's detail table, notes and summary rows."""

    title: str
    header: list
    rows: list
    notes: list = field(default_factory=list)
    summary: list = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def ratio_text(stance_seconds: float, other_seconds: float) -> str:
    """"stance/other = r (k× faster|slower)": below 1 is better for stance."""
    r = stance_seconds / other_seconds
    if r <= 1:
        return f"{r:.3f} (stance {1 / r:.1f}× faster)"
    return f"{r:.2f} (stance {r:.1f}× slower)"


def generate(ctx: Context, size: str, path: Path) -> int:
    """Generate `size` of JSON Lines dispatches at `path`; return the dispatch count."""
    common.run([ctx.generator, "--bytes", size, "--format", "jsonl", "-o", path])
    return count_lines(path)


def count_lines(path: Path) -> int:
    """Newlines in a file (statements tables collapse whitespace: one row a line)."""
    count = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            count += chunk.count(b"\n")
    return count


def classify(ctx: Context, source: Path, target: Path, measure_memory: bool = False) -> dict:
    """`stance classify source --input-format jsonl -o target --quiet`, under
    `/usr/bin/time -v` when measure_memory: wall seconds and peak RSS (MB)."""
    cmd = [ctx.stance, "classify", source, "--input-format", "jsonl", "-o", target, "--quiet"]
    if not measure_memory:
        seconds, _ = common.run(cmd)
        return {"wall": seconds}
    seconds, result = common.run(["/usr/bin/time", "-v", *cmd])
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    return {"wall": seconds, "peak_mb": peak_kb / 1024}


def stance_fitted_sklearn():
    """The reference scikit-learn pipeline fitted on the project's train split (stance)."""
    split = common.project_split("stance")
    pipeline = common.sklearn_pipeline()
    pipeline.fit(split.train_texts, split.train_labels)
    return pipeline


def fmt_s(seconds: float) -> str:
    """Seconds with a sensible number of digits."""
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


# --------------------------------------------------------------------------- 1. end to end


def python_pipeline(pipeline, source: Path, target: Path) -> int:
    """The Python side of the end-to-end run: read the statements CSV, predict the
    stance probabilities, write a CSV with them. Returns the number of statements."""
    rows = common.read_csv(source)
    probabilities = pipeline.predict_proba([r["text"] for r in rows])
    classes = list(pipeline.classes_)
    common.write_csv(
        target,
        ["dispatch_id", "statement", "stance"] + [f"stance_p_{c}" for c in classes],
        ([r["dispatch_id"], r["statement"], classes[p.argmax()]] + [f"{x:.4f}" for x in p]
         for r, p in zip(rows, probabilities)),
    )
    return len(rows)


def section_end_to_end(ctx: Context, size: str) -> Section:
    """stance classify vs the Python TF-IDF + LogisticRegression pipeline."""
    corpus, statements, python_out = (ctx.work / "e2e.jsonl", ctx.work / "e2e-stance.csv",
                                      ctx.work / "e2e-python.csv")
    dispatches = generate(ctx, size, corpus)
    mb = corpus.stat().st_size / 1e6
    print(f"end to end: {mb:.1f} MB, {dispatches} dispatches", file=sys.stderr)
    stance_s = classify(ctx, corpus, statements)["wall"]
    pipeline = stance_fitted_sklearn()  # fitted beforehand: not timed
    python_s, n = common.timed(python_pipeline, pipeline, statements, python_out)
    for path in (corpus, statements, python_out):
        path.unlink()

    ratio = stance_s / python_s
    speedup = python_s / stance_s
    return Section(
        title=f"1. End to end ({mb:.1f} MB of JSON Lines, {dispatches:,} dispatches, "
              f"{n:,} statements)",
        header=["system", "what is timed", "wall", "statements/s"],
        rows=[
            ["stance classify", "read JSON Lines, extract statements and speakers, stance "
             "and sentiment heads with top features, write the CSV", fmt_s(stance_s),
             f"{n / stance_s:,.0f}"],
            ["Python (scikit-learn)", "read stance's statements CSV, TF-IDF word 1-2 + "
             f"char_wb 2-5, LogisticRegression predict_proba (4 stance classes), "
             "write a CSV with the probabilities", fmt_s(python_s), f"{n / python_s:,.0f}"],
        ],
        notes=[
            "The Python side does no extraction: it classifies the statements stance "
            "extracted (the `text` column of stance's output), for the stance head only, "
            "with a pipeline fitted beforehand on the project's train split (fit not timed).",
            "stance does more work in its time (extraction, two heads, feature explanations).",
        ],
        summary=[Row(f"End to end, {mb:.0f} MB JSONL ({n:,} statements)", fmt_s(stance_s),
                     f"{fmt_s(python_s)} (Python pipeline)", ratio_text(stance_s, python_s),
                     "≥ 20× faster", "met" if speedup >= 20 else f"not met ({speedup:.1f}×)")],
    )


# --------------------------------------------------------------------------- 2. prediction


def fasttext_read_and_predict(model, source: Path) -> int:
    """Read the CSV, clean the texts, predict every class's probability with fastText.
    Returns the number of rows."""
    texts = [r["text"] for r in common.read_csv(source)]
    common.fasttext_predict(model, texts, k=-1)
    return len(texts)


def section_prediction(ctx: Context, rows_wanted: int) -> Section:
    """stance evaluate (embedded model) vs fastText predict on the same statements."""
    import fasttext

    fasttext.FastText.eprint = lambda *args, **kwargs: None  # load_model's API-change notice
    gold = common.read_csv(common.CORPUS / "statements.csv")
    copies = math.ceil(rows_wanted / len(gold))
    big, tiny = ctx.work / "predict.csv", ctx.work / "predict-tiny.csv"
    common.write_csv(big, ["text", "stance"], [(r["text"], r["stance"]) for r in gold] * copies)
    common.write_csv(tiny, ["text", "stance"], [(r["text"], r["stance"]) for r in gold[:10]])
    n = len(gold) * copies
    print(f"prediction: {n} statements", file=sys.stderr)

    def evaluate(path):
        return lambda: common.run([ctx.stance, "evaluate", path, "--label-column", "stance"])

    stance_s, _ = common.median_time(evaluate(big), ctx.repeat)
    startup_s, _ = common.median_time(evaluate(tiny), max(ctx.repeat, 5))
    net_s = stance_s - startup_s

    split = common.project_split("stance")
    _, model = common.fasttext_train(split.train_texts, split.train_labels, ctx.work)
    model_path = ctx.work / "fasttext-stance.bin"
    model.save_model(str(model_path))
    model_mb = model_path.stat().st_size / 1e6
    load_s, model = common.median_time(
        lambda: common.timed(fasttext.load_model, str(model_path)), ctx.repeat)
    ft_s, _ = common.median_time(
        lambda: common.timed(fasttext_read_and_predict, model, big), ctx.repeat)
    texts = [common.fasttext_clean(r["text"]) for r in gold] * copies
    ft_predict_s, _ = common.median_time(lambda: common.timed(model.predict, texts, k=-1),
                                         ctx.repeat)
    for path in (big, tiny, model_path):
        path.unlink()

    def rate(seconds):
        return f"{n / seconds:,.0f}"

    return Section(
        title=f"2. Prediction alone ({n:,} statements: statements.csv × {copies})",
        header=["system", "what is timed", f"median of {ctx.repeat}", "statements/s"],
        rows=[
            ["stance evaluate --label-column stance", "process start, embedded model "
             "decoded, CSV read, tokenizing, TF-IDF, prediction, metrics", fmt_s(stance_s),
             rate(stance_s)],
            ["  stance, less start-up (compared)", "the above minus `stance evaluate` on a "
             f"10-row CSV ({fmt_s(startup_s)}: process start and model decoding)",
             fmt_s(net_s), rate(net_s)],
            ["fastText load_model", f"loading the {model_mb:,.0f} MB model file (2M hash "
             "buckets × 100 dimensions)", fmt_s(load_s), "—"],
            ["fastText read + predict (compared)", "CSV read, lower-casing, predict(k=-1: "
             "every class's probability)", fmt_s(ft_s), rate(ft_s)],
            ["  fastText predict only", "predict(k=-1) on cleaned texts already in memory",
             fmt_s(ft_predict_s), rate(ft_predict_s)],
        ],
        notes=[
            "stance uses its embedded model (trained on the train split); fastText is "
            "trained on the same train split (settings as in compare_models.py, not timed).",
            "The target compares the rows marked (compared): both read the CSV and predict "
            "every statement, neither includes starting a process or loading a model. "
            "stance also computes its metrics; fastText runs in one thread, stance may use two.",
        ],
        summary=[Row(f"Prediction, {n:,} statements (CSV read + predict)", fmt_s(net_s),
                     f"{fmt_s(ft_s)} (fastText)", ratio_text(net_s, ft_s),
                     "≥ 1.0× fastText's speed",
                     "met" if net_s <= ft_s else f"not met ({ft_s / net_s:.2f}×)")],
    )


# --------------------------------------------------------------------------- 3. training


def sklearn_fit_times(split) -> tuple[float, float, object]:
    """Fit the reference features and classifier apart: (vectorize s, lbfgs s, predictor)."""
    from sklearn.pipeline import Pipeline

    features, classifier = common.sklearn_features(), common.sklearn_classifier()
    vectorize_s, X = common.timed(features.fit_transform, split.train_texts)
    lbfgs_s, _ = common.timed(classifier.fit, X, split.train_labels)
    return vectorize_s, lbfgs_s, Pipeline([("features", features), ("lr", classifier)])


def training_pair(ctx: Context, name: str, split) -> tuple[list, Row]:
    """stance train vs scikit-learn on one split: detail rows and the summary row."""
    print(f"training: {name}", file=sys.stderr)
    workdir = ctx.work / "train"
    stance_s, model = common.median_time(lambda: common.stance_train(ctx.stance, split, workdir),
                                         ctx.repeat)
    stance_f1 = common.stance_evaluate(ctx.stance, split, model, workdir)["macro_f1"]

    runs = [sklearn_fit_times(split) for _ in range(ctx.repeat)]
    vectorize_s = statistics.median(r[0] for r in runs)
    lbfgs_s = statistics.median(r[1] for r in runs)
    sklearn_s = statistics.median(r[0] + r[1] for r in runs)
    sklearn_f1, _ = common.scores(split.test_labels, list(runs[-1][2].predict(split.test_texts)))

    rows = [
        [name, "stance train", fmt_s(stance_s), "—", f"{stance_f1:.3f}"],
        [name, "scikit-learn", fmt_s(sklearn_s),
         f"{fmt_s(vectorize_s)} + {fmt_s(lbfgs_s)}", f"{sklearn_f1:.3f}"],
    ]
    met = stance_s <= sklearn_s and stance_f1 >= sklearn_f1
    verdict = "met" if met else (
        f"not met: F1 {stance_f1 - sklearn_f1:+.3f}" if stance_s <= sklearn_s else "not met: slower")
    summary = Row(f"Training, {name}", f"{fmt_s(stance_s)}, F1 {stance_f1:.3f}",
                  f"{fmt_s(sklearn_s)}, F1 {sklearn_f1:.3f} (scikit-learn)",
                  ratio_text(stance_s, sklearn_s), "time ≤ scikit-learn's at ≥ its F1", verdict)
    return rows, summary


def section_training(ctx: Context) -> Section:
    """stance train vs the scikit-learn reference on DEFT-2017 and the project's train split."""
    pairs = [training_pair(ctx, "DEFT-2017 train → val", common.deft_split()),
             training_pair(ctx, "project stance train → test", common.project_split("stance"))]
    return Section(
        title="3. Training",
        header=["data", "system", f"fit wall (median of {ctx.repeat})",
                "of which vectorize + lbfgs", "macro-F1"],
        rows=[row for rows, _ in pairs for row in rows],
        notes=[
            "stance: wall time of `stance train train.csv --label-column label` (process "
            "start, CSV read, tokenizing, TF-IDF, sparse L-BFGS, model write), default settings.",
            "scikit-learn: FeatureUnion(word 1-2 min_df=2, char_wb 2-5, sublinear TF-IDF) "
            "fit_transform + LogisticRegression(C=10, max_iter=1000, lbfgs) fit, in process.",
        ],
        summary=[summary for _, summary in pairs],
    )


# --------------------------------------------------------------------------- 4. memory


def section_memory(ctx: Context, sizes: list) -> Section:
    """Peak RSS of stance classify at each input size; files deleted after each size."""
    rows, peaks = [], []
    for size in sizes:
        corpus, statements = ctx.work / f"mem-{size}.jsonl", ctx.work / f"mem-{size}.csv"
        dispatches = generate(ctx, size, corpus)
        mb = corpus.stat().st_size / 1e6
        print(f"memory: {size} ({dispatches} dispatches)", file=sys.stderr)
        run = classify(ctx, corpus, statements, measure_memory=True)
        n = count_lines(statements) - 1
        corpus.unlink()
        statements.unlink()
        peaks.append((size, run["peak_mb"]))
        rows.append([size, f"{mb:,.1f}", f"{dispatches:,}", f"{n:,}", fmt_s(run["wall"]),
                     f"{n / run['wall']:,.0f}", f"{run['peak_mb']:.1f}"])

    highest, lowest = max(p for _, p in peaks), min(p for _, p in peaks)
    flat = highest <= FLAT_TOLERANCE * lowest
    measured_1g = any(s.upper().startswith("1G") for s, _ in peaks)
    met = highest <= MEMORY_LIMIT_MB and flat
    verdict = ("met" if met else "not met") + ("" if measured_1g else
                                               " up to " + sizes[-1] + "; 1 GB not measured")
    return Section(
        title="4. Peak memory of `stance classify` (JSON Lines in, statements CSV out)",
        header=["input", "MB", "dispatches", "statements", "wall", "statements/s",
                "peak RSS MB"],
        rows=rows,
        notes=[f"`/usr/bin/time -v stance classify big.jsonl --input-format jsonl -o out.csv "
               f"--quiet`; 'flat' means the largest peak is at most {FLAT_TOLERANCE:.2f}× "
               "the smallest. The 1 GB run needs `--with-1g`."],
        summary=[Row("Peak memory, " + " / ".join(s for s, _ in peaks),
                     " / ".join(f"{p:.0f} MB" for _, p in peaks), "—",
                     f"largest / smallest = {highest / lowest:.2f}",
                     f"≤ {MEMORY_LIMIT_MB} MB and flat to 1 GB", verdict)],
    )


# --------------------------------------------------------------------------- 5. start-up


def section_startup(ctx: Context, runs: int) -> Section:
    """Median wall time of `stance classify one.txt -o /dev/null --quiet`."""
    dispatch = sorted((common.CORPUS / "dispatches").glob("*.txt"))[0]
    cmd = [ctx.stance, "classify", dispatch, "-o", "/dev/null", "--quiet"]
    for _ in range(2):  # warm the page cache
        common.run(cmd)
    times = [common.run(cmd)[0] for _ in range(runs)]
    median_ms = statistics.median(times) * 1000
    return Section(
        title=f"5. Start-up plus one dispatch ({dispatch.relative_to(common.REPO)})",
        header=["runs", "median", "min", "max"],
        rows=[[runs, f"{median_ms:.1f} ms", f"{min(times) * 1000:.1f} ms",
               f"{max(times) * 1000:.1f} ms"]],
        notes=["`stance classify <dispatch> -o /dev/null --quiet` with the embedded model, "
               "after two warm-up runs; wall time seen from Python's subprocess."],
        summary=[Row("Start-up + one dispatch", f"{median_ms:.1f} ms (median of {runs})", "—",
                     "—", "≤ 50 ms", "met" if median_ms <= 50 else "not met")],
    )


# --------------------------------------------------------------------------- report


def render(sections: list, info: dict) -> str:
    """The Markdown report: machine, summary table, then each section's detail."""
    summary = [s for section in sections for s in section.summary]
    parts = [
        "# Speed comparison: stance vs Python, fastText and scikit-learn",
        "",
        common.machine_markdown(info),
        "",
        "## Summary",
        "",
        common.markdown_table(
            ["measure", "stance", "other", "ratio stance/other (time: < 1 = stance faster)",
             "target", "target met?"],
            [[r.measure, r.stance, r.other, r.ratio, r.target, r.met] for r in summary]),
        "",
    ]
    for section in sections:
        parts += [f"## {section.title}", "",
                  common.markdown_table(section.header, section.rows), ""]
        parts += [f"- {note}" for note in section.notes] + [""]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--e2e-size", default="10M",
                        help="generated JSON Lines for the end-to-end pair (default 10M)")
    parser.add_argument("--sizes", default="10M,100M",
                        help="input sizes for peak memory (default 10M,100M)")
    parser.add_argument("--with-1g", action="store_true",
                        help="also measure peak memory at 1G (about 10 minutes)")
    parser.add_argument("--predict-rows", type=int, default=50_000,
                        help="statements for the prediction pair (default 50000)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per timing for prediction and training (median; default 3)")
    parser.add_argument("--startup-runs", type=int, default=20)
    parser.add_argument("-o", "--output", type=Path, default=common.OUT / "speed.md")
    args = parser.parse_args()

    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if args.with_1g and "1G" not in sizes:
        sizes.append("1G")

    info = common.machine_info()
    stance = common.stance_binary()
    generator = common.snapshot_binary("GENERATE_CORPUS", "target/release/examples/generate_corpus")
    # Scratch files (generated corpora, tables, models) go to bench/out/work-*, removed at
    # the end; the big ones are deleted as soon as their measure is taken.
    with tempfile.TemporaryDirectory(prefix="work-", dir=common.OUT) as work:
        ctx = Context(stance, generator, Path(work), args.repeat)
        sections = [
            section_end_to_end(ctx, args.e2e_size),
            section_prediction(ctx, args.predict_rows),
            section_training(ctx),
            section_memory(ctx, sizes),
            section_startup(ctx, args.startup_runs),
        ]
    report = render(sections, info)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)
    print(f"written to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
