#!/usr/bin/env python3
"""Writes N articles on one story as JSON Lines records for the diff
benchmark (tests/diff/bench.sh): each is one of the outlet articles of a
corpus/diff story, with its body sentences shuffled within paragraphs, some
dropped, and long background paragraphs from corpus/articles mixed in, so
the articles are long and share much but not all."""
import argparse
import json
import os
import random
import re

ap = argparse.ArgumentParser()
ap.add_argument("--story", required=True)
ap.add_argument("--articles", required=True)
ap.add_argument("--n", type=int, default=50)
ap.add_argument("--background", type=int, default=30, help="background paragraphs per article")
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--out", required=True)
a = ap.parse_args()
rnd = random.Random(a.seed)


def paragraphs(path):
    text = open(path, encoding="utf-8").read()
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


outlets = sorted(f for f in os.listdir(a.story) if f.endswith(".txt"))
bases = {f: paragraphs(os.path.join(a.story, f)) for f in outlets}
pool = []
for f in sorted(os.listdir(a.articles)):
    if f.endswith(".txt"):
        pool += [p for p in paragraphs(os.path.join(a.articles, f))[2:] if len(p) > 80]

with open(a.out, "w", encoding="utf-8") as out:
    for i in range(a.n):
        name = outlets[i % len(outlets)]
        paras = bases[name]
        head, body = paras[0], [p for p in paras[1:] if rnd.random() > 0.15]
        extra = rnd.sample(pool, min(a.background, len(pool)))
        mixed = body + extra
        rnd.shuffle(mixed)
        text = "\n\n".join([head] + mixed) + "\n"
        rec = {"id": "%s-%02d" % (name[:-4], i), "outlet": "%s %d" % (name[:-4], i), "text": text}
        out.write(json.dumps(rec) + "\n")
