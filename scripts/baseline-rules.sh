#!/bin/sh
# Builds the word-list baseline for the fact/opinion label
# (docs/label-rules.md, "Baseline"):
#
#     scripts/baseline-rules.sh [RULES] [OUT]
#
# OUT (default build/baseline-rules) is a copy of RULES (default rules)
# whose label.yaml keeps none of the label rules but two: a prior for fact,
# and one rule that says opinion when any word of the EVALUATIVE, HEDGE,
# LOADED or INTENSIFIER lexicon occurs.  The voice and check-worthiness
# rules, the lexicons and every other stage are left as they are, so that
# `ascribe eval --rules OUT` differs from the default rules in the label
# alone.  The lexicons are the default set's own, as they stand: when they
# grow, so does the baseline.
set -eu
src=${1:-rules}
out=${2:-build/baseline-rules}
[ -f "$src/label.yaml" ] || { echo "baseline-rules: no $src/label.yaml" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
cp -R "$src"/. "$out"/
{
	echo "# Word-list baseline, made by scripts/baseline-rules.sh from $src; do not edit."
	echo "calibration:"
	echo "  label: { slope: 1.0, intercept: 0.0 }"
	grep -E '^  (voice|checkworthy):' "$src/label.yaml"
	cat <<'YAML'
rules:
  - id: label.prior-fact
    description: A sentence is a fact unless a word of the list occurs.
    stage: label
    label: fact
    weight: 1.0
    pattern: '^'
    examples:
      - text: The ferry left at noon.
  - id: label.word-list
    description: Any evaluative word, hedge, loaded label or intensifier makes the sentence an opinion.
    stage: label
    label: opinion
    weight: 2.0
    requires: ["{EVALUATIVE}", "{HEDGE}", "{LOADED}", "{INTENSIFIER}"]
    pattern: '(?i)\b(?:{EVALUATIVE}|{HEDGE}|{LOADED}|{INTENSIFIER})\b'
    examples:
      - text: The plan is a disastrous mistake.
      - text: The plan passed by 60 votes to 12.
        match: false
YAML
} > "$out/label.yaml"
