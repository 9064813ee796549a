#!/usr/bin/env python3
"""Fits the calibration of the label stage on the tune split.

    scripts/fit-calibration.py [--ascribe ./ascribe] [--rules rules] [--write]
                               [--weights] [CORPUS]

Runs `ascribe eval --features -` (which writes only tune segments, never
held-out ones) and, for each field the gold carries (label, voice,
checkworthy), fits by maximum likelihood the slope and intercept of

    p(second side) = 1 / (1 + exp(-(slope * margin + intercept)))

where margin is the summed weight of the rules on the second side
(opinion, attributed, checkworthy) minus that on the first.  It prints the
`calibration:` block; --write puts it into RULES/label.yaml in place of the
one there.  --weights also fits one weight per rule (logistic regression
with an L2 penalty that pulls each weight toward the one in the rule file)
and prints them as suggestions: weights stay hand-edited in the rule files.
"""
import argparse
import math
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

SIDES = {
    "label": ("fact", "opinion"),
    "voice": ("author", "attributed"),
    "checkworthy": ("not-checkworthy", "checkworthy"),
}


def read_features(ascribe, rules, corpus):
    out = subprocess.run([ascribe, "eval", "--rules", rules, "--features", "-", corpus],
                         check=False, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit(out.stderr)
    rows = defaultdict(list)   # field -> [(y, [(rule, sign, weight)])]
    for line in out.stdout.splitlines():
        _id, field, gold, _sys, label, evidence = (line.split("\t") + [""])[:6]
        first, second = SIDES[field]
        if gold not in (first, second):
            continue
        # an opinion is never check-worthy (annotator/label.c): the
        # check-worthiness score is used, and fitted, on facts only
        if field == "checkworthy" and label != "fact":
            continue
        ev = []
        for item in evidence.split():
            m = re.fullmatch(r"(.+)@([a-z-]+):(-?[\d.e+-]+)", item)
            if m:
                sign = 1.0 if m.group(2) == second else -1.0
                ev.append((m.group(1), sign, float(m.group(3))))
        rows[field].append((1.0 if gold == second else 0.0, ev))
    return rows


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def fit_line(xs, ys, prior=1e-3):
    """Slope and intercept of a one-feature logistic regression (Newton)."""
    a, b = 1.0, 0.0
    for _ in range(100):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(xs, ys):
            p = sigmoid(a * x + b)
            w = p * (1 - p)
            ga += (p - y) * x
            gb += p - y
            haa += w * x * x
            hab += w * x
            hbb += w
        ga += prior * (a - 1.0)
        haa += prior
        hbb += prior
        gb += prior * b
        det = haa * hbb - hab * hab
        if abs(det) < 1e-12:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-9:
            break
    return a, b


def log_loss(xs, ys, a, b):
    n = max(1, len(xs))
    return -sum(y * math.log(max(1e-12, sigmoid(a * x + b))) +
                (1 - y) * math.log(max(1e-12, 1 - sigmoid(a * x + b)))
                for x, y in zip(xs, ys)) / n


def fit_weights(rows, l2=2.0, steps=3000, rate=0.5):
    """One weight per rule, pulled toward the rule file's weight."""
    start = {}
    for _y, ev in rows:
        for rule, sign, w in ev:
            start[rule] = (sign, w)
    weights = {r: w for r, (_s, w) in start.items()}
    b = 0.0
    n = len(rows)
    for _ in range(steps):
        grad = defaultdict(float)
        gb = 0.0
        for y, ev in rows:
            z = b + sum(sign * weights[r] for r, sign, _w in ev)
            d = sigmoid(z) - y
            gb += d
            for r, sign, _w in ev:
                grad[r] += d * sign
        for r in weights:
            g = grad[r] / n + l2 / n * (weights[r] - start[r][1])
            weights[r] = max(0.0, weights[r] - rate * g)
        b -= rate * gb / n
    return weights, start


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ascribe", default="./ascribe")
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--weights", action="store_true")
    ap.add_argument("corpus", nargs="?", default="corpus/articles")
    args = ap.parse_args()
    rows = read_features(args.ascribe, args.rules, args.corpus)
    block = ["calibration:"]
    for field in ("label", "voice", "checkworthy"):
        data = rows.get(field)
        if not data:
            print(f"# {field}: no tune segment carries it; not fitted", file=sys.stderr)
            continue
        xs = [sum(s * w for _r, s, w in ev) for _y, ev in data]
        ys = [y for y, _ev in data]
        a, b = fit_line(xs, ys)
        print(f"# {field}: {len(xs)} tune segments, log loss {log_loss(xs, ys, 1, 0):.4f} "
              f"before, {log_loss(xs, ys, a, b):.4f} after", file=sys.stderr)
        block.append(f"  {field}: {{ slope: {a:.3f}, intercept: {b:.3f} }}")
        if args.weights:
            weights, start = fit_weights(data)
            for r in sorted(weights):
                print(f"#   {r:32s} {start[r][1]:6.2f} -> {weights[r]:6.2f}", file=sys.stderr)
    text = "\n".join(block) + "\n"
    print(text, end="")
    if args.write:
        path = Path(args.rules) / "label.yaml"
        old = path.read_text()
        new_fields = {ln.split(":")[0].strip(): ln for ln in block[1:]}
        m = re.search(r"^calibration:\n((?:[ \t]+.*\n)*)", old, re.M)
        if not m:
            sys.exit(f"{path}: no calibration: block to replace")
        lines = m.group(1).splitlines(keepends=True)
        kept = []
        for ln in lines:
            key = ln.split(":")[0].strip()
            if key in new_fields:
                # keep any other keys of the field (voice: speaker)
                extra = re.search(r",\s*(speaker:\s*[-\d.]+)", ln)
                new = new_fields.pop(key)
                if extra:
                    new = new[:-2] + f", {extra.group(1)} }}"
                kept.append(new + "\n")
            else:
                kept.append(ln)
        kept += [ln + "\n" for ln in new_fields.values()]
        path.write_text(old[:m.start(1)] + "".join(kept) + old[m.end(1):])
        print(f"wrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
