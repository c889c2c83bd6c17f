#!/usr/bin/env python3
"""Agreement between the gold labels and a second, blind annotation of the same
statements (training-data/second-annotation.csv: dispatch_id,start,end,stance,sentiment):
observed agreement and Cohen's kappa for stance and sentiment.

    python3 scripts/agreement.py
"""
import collections, csv, os

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training-data")
gold = {(r["dispatch_id"], r["start"], r["end"]): r for r in csv.DictReader(open(os.path.join(root, "statements.csv"), encoding="utf-8"))}
second = list(csv.DictReader(open(os.path.join(root, "second-annotation.csv"), encoding="utf-8")))
for field in ("stance", "sentiment"):
    a = [gold[(r["dispatch_id"], r["start"], r["end"])][field] for r in second]
    b = [r[field] for r in second]
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = collections.Counter(a), collections.Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(a) | set(b)) / n / n
    print(f"{field}: {n} statements, agreement {po:.3f}, Cohen's kappa {(po - pe) / (1 - pe):.3f}")
