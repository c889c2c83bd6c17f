#!/usr/bin/env python3
"""Fill the character spans of gold statements from their text.

Annotators write, for each statement, the dispatch id, the statement text and the
mention that names its speaker, as they read in the dispatch (whitespace may differ:
hard wraps and blank lines inside a quote are matched by any whitespace). This script
finds each text in `training-data/dispatches/<id>.txt` and writes `start,end` and
`mention_start,mention_end` as character offsets (Unicode code points) into the file
as stored: a BOM counts as one character, CRLF as two.

    python3 scripts/fill_spans.py training-data/statements.csv [more.csv ...]

Rewrites each CSV in place; prints every row it cannot place and exits 1 if any.
"""
import csv, re, sys, os

COLUMNS = ["dispatch_id", "start", "end", "kind", "speaker", "mention",
           "mention_start", "mention_end", "stance", "sentiment", "text"]


def pattern(s, whole_words=False):
    words = s.split()
    body = r"\s+".join(re.escape(w) for w in words)
    # a mention is whole words: `il` must not match inside `ailleurs`
    return re.compile(r"(?<!\w)" + body + r"(?!\w)" if whole_words else body)


def norm(s):
    return " ".join(s.split())


def main(paths):
    bad = 0
    for path in paths:
        root = os.path.join(os.path.dirname(os.path.abspath(path)), "dispatches")
        if not os.path.isdir(root):
            root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))), "dispatches")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        cache, claimed = {}, {}
        for i, row in enumerate(rows, start=2):
            did = row["dispatch_id"].strip()
            if did not in cache:
                p = os.path.join(root, did + ".txt")
                if not os.path.exists(p):
                    print(f"{path}:{i}: no dispatch file {p}"); bad += 1; continue
                with open(p, newline="", encoding="utf-8") as f:
                    cache[did] = f.read()
                claimed[did] = []
            doc = cache[did]
            text = norm(row["text"])
            row["text"] = text
            found = None
            for m in pattern(text).finditer(doc):
                if all(not (m.start() < e and s < m.end()) for s, e in claimed[did]):
                    found = m; break
            if not text or found is None:
                print(f"{path}:{i}: statement text not found in {did}: {text[:70]!r}"); bad += 1; continue
            claimed[did].append((found.start(), found.end()))
            row["start"], row["end"] = found.start(), found.end()
            mention = norm(row.get("mention", ""))
            row["mention"] = mention
            best = None
            for m in pattern(mention, whole_words=True).finditer(doc) if mention else []:
                if m.start() < found.end() and found.start() < m.end():
                    continue  # a mention inside the statement is not the speaker's mention
                d = found.start() - m.end() if m.end() <= found.start() else m.start() - found.end()
                # prefer a mention before the statement at equal distance
                key = (d if m.end() <= found.start() else d + 0.5)
                if best is None or key < best[0]:
                    best = (key, m)
            if best is None:
                print(f"{path}:{i}: mention not found in {did}: {mention!r}"); bad += 1
                row["mention_start"], row["mention_end"] = "", ""
            else:
                row["mention_start"], row["mention_end"] = best[1].start(), best[1].end()
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
            w.writeheader()
            for row in rows:
                w.writerow({k: row.get(k, "") for k in COLUMNS})
    print(f"{bad} problem(s)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
