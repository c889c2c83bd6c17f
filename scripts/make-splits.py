#!/usr/bin/env python3
"""Writes training-data/splits.csv: every dispatch to train, dev or test.

Dispatches sharing a statement text (compared on lower-cased letters and digits, so
near-identical ones count) are tied into one group, so that no statement text sits on
both sides. Groups are taken in id order (each batch prefix covers a period, numbered in
date order) and each goes to the split furthest below its target share of dispatches
(test 22 %, dev 11 %, train the rest), so every period feeds every split.

    python3 scripts/make-splits.py
"""
import collections, csv, os, re

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training-data")
TARGET = {"test": 0.22, "dev": 0.11, "train": 0.67}


def order(i):
    m = re.match(r"(.*?)-(\d+)$", i)
    return (m.group(1), int(m.group(2))) if m else (i, 0)


ids = sorted((f[:-4] for f in os.listdir(os.path.join(root, "dispatches")) if f.endswith(".txt")), key=order)
parent = {i: i for i in ids}


def find(i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


by_key = {}
with open(os.path.join(root, "statements.csv"), newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        k = "".join(c for c in r["text"].lower() if c.isalnum())
        if k in by_key:
            parent[find(r["dispatch_id"])] = find(by_key[k])
        else:
            by_key[k] = r["dispatch_id"]
groups = collections.OrderedDict()
for i in ids:
    groups.setdefault(find(i), []).append(i)
counts = collections.Counter()
split_of = {}
for members in groups.values():
    total = sum(counts.values()) + len(members)
    s = max(TARGET, key=lambda s: TARGET[s] * total - counts[s])
    for m in members:
        split_of[m] = s
    counts[s] += len(members)
with open(os.path.join(root, "splits.csv"), "w", newline="") as f:
    f.write("dispatch_id,split\n")
    for i in ids:
        f.write(f"{i},{split_of[i]}\n")
print(dict(counts), "of", len(ids), "dispatches in", len(groups), "groups")
