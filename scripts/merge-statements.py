#!/usr/bin/env python3
"""Merges the annotators' batch files training-data/statements/*.csv into
training-data/statements.csv (sorted by dispatch, then span), after fill_spans.py.

    python3 scripts/merge-statements.py
"""
import csv, glob, os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training-data")
rows, columns = [], None
for path in sorted(glob.glob(os.path.join(root, "statements", "*.csv"))):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        columns = columns or r.fieldnames
        rows.extend(r)
rows.sort(key=lambda r: (r["dispatch_id"], int(r["start"] or 0)))
with open(os.path.join(root, "statements.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=columns)
    w.writeheader()
    w.writerows(rows)
print(len(rows), "statements")
