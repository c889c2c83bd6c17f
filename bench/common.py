"""Helpers shared by compare_models.py and compare_speed.py.

Paths, the `stance` binary (snapshotted so a rebuild during a run does not change it),
timed subprocess calls, the data sets, and the two reference systems: the scikit-learn
TF-IDF + logistic regression pipeline and fastText supervised.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
OUT = BENCH / "out"
DATA = Path(os.environ.get("SHARED_DATA", REPO.parent / "shared" / "data"))
CORPUS = REPO / "training-data"

# Long texts and big generated tables: lift the csv module's 128 KiB field limit.
csv.field_size_limit(sys.maxsize)


# --------------------------------------------------------------------------- binaries


def snapshot_binary(env_var: str, default: str, wait_seconds: int = 600) -> Path:
    """Copy the binary named by `env_var` (default: `default`, relative to the repo)
    into bench/out/bin/ and return the copy's path.

    The copy keeps a rebuild of target/release during the run from swapping the binary
    under the benchmark. If the binary is missing (being rebuilt), wait for it.
    """
    source = Path(os.environ.get(env_var, default))
    if not source.is_absolute():
        source = REPO / source
    target = OUT / "bin" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            shutil.copy2(source, target)
            break
        except OSError as err:
            if time.monotonic() > deadline:
                sys.exit(f"{env_var}: cannot copy {source}: {err}")
            print(f"{source} not available ({err}); retrying in 15 s", file=sys.stderr)
            time.sleep(15)
    target.chmod(0o755)
    return target


def stance_binary() -> Path:
    """The `stance` binary ($STANCE, default target/release/stance), snapshotted."""
    return snapshot_binary("STANCE", "target/release/stance")


# --------------------------------------------------------------------------- timing


def run(cmd: list, **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """Run `cmd`, fail loudly with its stderr if it fails; return (wall seconds, result)."""
    cmd = [str(c) for c in cmd]
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr}")
    return elapsed, result


def timed(fn, *args, **kwargs):
    """Call fn(*args, **kwargs); return (wall seconds, its result)."""
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return time.perf_counter() - start, value


def median_time(fn, repeat: int) -> tuple[float, object]:
    """Median wall time of `repeat` calls of fn() (which returns (seconds, value)), and
    the value of the last call."""
    times, value = [], None
    for _ in range(repeat):
        seconds, value = fn()
        times.append(seconds)
    return statistics.median(times), value


# --------------------------------------------------------------------------- data


@dataclass
class Split:
    """One train/test split of texts and labels; `test_groups` names the cluster of each
    test row (its dispatch) where rows are not independent, for the bootstrap."""

    train_texts: list
    train_labels: list
    test_texts: list
    test_labels: list
    test_groups: list | None = None


def read_csv(path: Path) -> list[dict]:
    """All rows of a UTF-8 CSV with a header, as dicts."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list, rows) -> None:
    """Write rows (sequences) under `header`."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


READINGS = {
    None: ["--words-only"],
    "affiliation": ["--words-around", "0,0"],
    "around": [],
}
"""How `stance corpus --texts` reads the gold statements: the words alone, the speaker's
affiliation in front (`⟦armenia⟧ text`), or `stance train training-data`'s default reading
(the affiliation and the words around the statement in its sentence)."""

_READ_CACHE: dict = {}


def read_corpus(reading: str | None) -> list:
    """The gold statements (statements.csv order) with their texts as `stance` reads them
    (`stance corpus --texts`, so every system gets the very same strings)."""
    if reading not in _READ_CACHE:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "texts.csv"
            run([stance_binary(), "corpus", CORPUS, "--texts", out, *READINGS[reading]])
            _READ_CACHE[reading] = read_csv(out)
    return _READ_CACHE[reading]


def project_split(label_column: str, test_split: str = "test", reading: str | None = None) -> Split:
    """The project's gold statements (training-data/statements.csv joined with
    splits.csv): train split -> `test_split`, labels from `label_column`, texts read as
    `reading` says ([`READINGS`])."""
    split_of = {r["dispatch_id"]: r["split"] for r in read_csv(CORPUS / "splits.csv")}
    rows = read_corpus(reading)
    train = [r for r in rows if split_of[r["dispatch_id"]] == "train"]
    test = [r for r in rows if split_of[r["dispatch_id"]] == test_split]
    return Split(
        [r["text"] for r in train], [r[label_column] for r in train],
        [r["text"] for r in test], [r[label_column] for r in test],
        [r["dispatch_id"] for r in test],
    )


def project_cv_splits(label_column: str, folds: int = 5, reading: str | None = "affiliation",
                      repeats: int = 1, seed: int = 13) -> list:
    """k-fold cross-validation on the project's train split, grouped by dispatch, texts
    read as in `project_split`; `repeats` times, `folds` splits each. The first repeat
    uses `stance train --cv`'s folds (dispatches in order of first appearance, dealt
    round robin); repeat r > 0 shuffles the previous repeat's order with `seed + r` and
    deals that."""
    whole = project_split(label_column, reading=reading)
    split_of = {r["dispatch_id"]: r["split"] for r in read_csv(CORPUS / "splits.csv")}
    # the rows project_split read, in the same order
    dispatches = [r["dispatch_id"] for r in read_corpus(reading)
                  if split_of[r["dispatch_id"]] == "train"]
    order = list(dict.fromkeys(dispatches))
    splits = []
    for r in range(repeats):
        if r > 0:
            random.Random(seed + r).shuffle(order)
        fold_of = {d: i % folds for i, d in enumerate(order)}
        for f in range(folds):
            held = [fold_of[d] == f for d in dispatches]
            pick = lambda values, want: [v for v, h in zip(values, held) if h == want]
            splits.append(Split(pick(whole.train_texts, False), pick(whole.train_labels, False),
                                pick(whole.train_texts, True), pick(whole.train_labels, True),
                                pick(dispatches, True)))
    return splits


def deft_split() -> Split:
    """DEFT-2017 French tweets: train.csv -> val.csv."""
    folder = DATA / "sentiment-fr-deft2017"
    train, val = read_csv(folder / "train.csv"), read_csv(folder / "val.csv")
    return Split(
        [r["text"] for r in train], [r["label"] for r in train],
        [r["text"] for r in val], [r["label"] for r in val],
    )


# --------------------------------------------------------------------------- stance CLI


def stance_train(binary: Path, split: Split, workdir: Path) -> tuple[float, Path]:
    """Write the split's train side as a text,label CSV and run `stance train` on it.
    Returns the command's wall time and the model path."""
    workdir.mkdir(parents=True, exist_ok=True)
    train_csv, model = workdir / "train.csv", workdir / "m.stance"
    write_csv(train_csv, ["text", "label"], zip(split.train_texts, split.train_labels))
    seconds, _ = run([binary, "train", train_csv, "--label-column", "label", "-o", model])
    return seconds, model


def stance_evaluate(binary: Path, split: Split, model: Path, workdir: Path) -> dict:
    """Score `model` on the split's test side with `stance evaluate`; return the
    report's `heads.label` object (accuracy, macro_f1, ...) with the label predicted for
    each test row added as `predicted` (from `--predictions`)."""
    test_csv, report, rows = workdir / "test.csv", workdir / "r.json", workdir / "p.csv"
    write_csv(test_csv, ["text", "label"], zip(split.test_texts, split.test_labels))
    run([binary, "evaluate", test_csv, "--label-column", "label", "-m", model, "-o", report,
         "--predictions", rows])
    head = json.loads(report.read_text(encoding="utf-8"))["heads"]["label"]
    head["predicted"] = [r["label_predicted"] for r in read_csv(rows)]
    return head


# --------------------------------------------------------------------------- scikit-learn


def sklearn_features(word_min_df: int = 2):
    """The reference features: word 1-2-grams (min_df) and char_wb 2-5-grams, both
    sublinear TF-IDF."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                 min_df=word_min_df)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
    ])


def sklearn_classifier():
    """The reference classifier: multinomial logistic regression, lbfgs, C=10."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=10, max_iter=1000)


def sklearn_pipeline(word_min_df: int = 2):
    """The reference "best scikit-learn setting": features + classifier."""
    from sklearn.pipeline import Pipeline

    return Pipeline([("features", sklearn_features(word_min_df)), ("lr", sklearn_classifier())])


def scores(gold: list, predicted: list) -> tuple[float, float]:
    """(macro-F1 over every class seen in gold or predictions, accuracy)."""
    from sklearn.metrics import accuracy_score, f1_score

    labels = sorted(set(gold) | set(predicted))
    return (f1_score(gold, predicted, labels=labels, average="macro", zero_division=0),
            accuracy_score(gold, predicted))


# --------------------------------------------------------------------------- fastText

FASTTEXT_PARAMS = dict(epoch=25, lr=0.5, wordNgrams=2, minn=2, maxn=5, dim=100,
                       loss="softmax", thread=1, seed=1, verbose=0)
"""fastText supervised settings; one thread so that a seeded run is reproducible."""

_WHITESPACE = re.compile(r"\s+")


def fasttext_clean(text: str) -> str:
    """fastText's input form: lower-cased, newlines and runs of whitespace as one space."""
    return _WHITESPACE.sub(" ", text.lower()).strip()


def fasttext_train(texts: list, labels: list, workdir: Path):
    """Write a `__label__<label> <text>` file and train a supervised model on it.
    Returns (wall seconds of train_supervised, model)."""
    import fasttext

    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "fasttext-train.txt"
    with open(path, "w", encoding="utf-8") as f:
        for text, label in zip(texts, labels):
            f.write(f"__label__{label} {fasttext_clean(text)}\n")
    return timed(fasttext.train_supervised, input=str(path), **FASTTEXT_PARAMS)


def fasttext_predict(model, texts: list, k: int = 1) -> tuple[list, list]:
    """Labels (without `__label__`) and probabilities of the k best classes per text."""
    labels, probs = model.predict([fasttext_clean(t) for t in texts], k=k)
    return [[l.removeprefix("__label__") for l in row] for row in labels], probs


# --------------------------------------------------------------------------- reporting


def markdown_table(header: list, rows: list) -> str:
    """A Markdown table, columns padded so it also reads as plain text."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"

    return "\n".join([line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(r) for r in cells[1:]])


def machine_info() -> dict:
    """Date (UTC), uname -a, nproc, CPU model and load average, for the reports."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": subprocess.run(["date", "-u"], capture_output=True, text=True).stdout.strip(),
        "uname": subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip(),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": cpu,
        "load": Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "",
        "python": platform.python_version(),
    }


def machine_markdown(info: dict) -> str:
    """The machine description as a Markdown list."""
    return "\n".join([
        f"- date: `{info['date']}`",
        f"- uname -a: `{info['uname']}`",
        f"- nproc: {info['nproc']}; CPU: {info['cpu']}",
        f"- load average at start: `{info['load']}`; Python {info['python']}",
    ])
