#!/usr/bin/env python3
"""Writes training-data/splits.csv: every dispatch to train, dev or test.

Dispatches are ordered by id (each batch prefix covers a period, numbered in date order)
and dealt by position within their batch: positions ending in 2 or 7 go to test, those
ending in 5 to dev, the rest to train. Every period thus gives about 22 % of its
dispatches to test and 11 % to dev, spread over time and actors.

    python3 scripts/make-splits.py
"""
import os, re, collections

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training-data")
ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "dispatches")) if f.endswith(".txt"))
batches = collections.defaultdict(list)
for i in ids:
    batches[re.sub(r"-\d+$", "", i)].append(i)
rows = []
for b in sorted(batches):
    for pos, i in enumerate(sorted(batches[b], key=lambda s: int(re.search(r"(\d+)$", s).group(1))), start=1):
        split = "test" if pos % 10 in (2, 7) else "dev" if pos % 10 == 5 else "train"
        rows.append((i, split))
with open(os.path.join(root, "splits.csv"), "w", newline="") as f:
    f.write("dispatch_id,split\n")
    for i, s in rows:
        f.write(f"{i},{s}\n")
c = collections.Counter(s for _, s in rows)
print(dict(c), "of", len(rows))
