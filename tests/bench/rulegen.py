#!/usr/bin/env python3
"""Make a rule set FACTOR times larger than rules/, for the rule-scaling
part of make bench.

The output directory holds a copy of every file of rules/ and files
zz-bench-copy-K.yaml (K = 2, 3, ...) with copies of the block, spot,
attribute and label rules, (FACTOR - 1) times as many copies as there are
such rules.  Only rules with trigger words are copied: a rule with none
(a prior, a punctuation or layout rule, one keyed only by "#digit") has
nothing to vary, and its copy would be the rule itself under another id.
Nor is a rule copied that matches somewhere without its trigger words
(a branch that takes any digit, optional words): found by running each
rule once with every trigger word replaced by a word no text holds, over
the corpus articles and the rules' examples, its copies would be the rule
itself wherever that part matches.  Their share goes to further copies
of the others, so every file but the last holds one copy of each rule
that has trigger words and needs them.  A copy gets the id
ID.bK and its trigger words are replaced by other English words from the
corpus vocabulary, so that copies fire about as often as the originals
do but on other words:

  * trigger words are the words the prefilter keys a rule by: the words
    in `requires` and the first word of each entry of the lexicons
    `requires` names ("pointed out" -> "pointed"; the second word, which
    the prefilter also wants next, is kept).  Block rules have no
    `requires`; for them they are the literal words of the pattern and the
    first words of the lexicons the pattern names;
  * each trigger lexicon NAME gets a copy NAME_BK with its entries
    rewritten, and the copy's `requires` and pattern name that copy; a
    lexicon of verb lemmas or forms (inflect, from, forms) is copied as
    the plain list of the forms it stands for;
  * literal trigger words in the pattern and in the examples are rewritten
    with the same map, keeping their case shape ("Said" -> "Harbour");
  * a replacement is a word that occurs in lower case in corpus/articles,
    is not a `requires` trigger anywhere in rules/, and occurs in about as
    many corpus sentences as the word it replaces (the nearest such word
    not yet taken, most frequent words first); the many trigger words the
    corpus lacks map to a pool of RARE_POOL words that occur once in it,
    drawn per copy.

Examples that no longer hold after rewriting are dropped after running
`ascribe rules check` on the result; a copy left with none gets one
negative example.  The script prints how many, and how often the
prefilter lets originals and copies run on the corpus sentences.

Deterministic for a given seed, rules/ and corpus.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # no __pycache__ in tests/bench
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import miniyaml  # noqa: E402

COPY_STAGES = ("block", "spot", "attribute", "label")
LETTERS = re.compile(r"[^\W\d_]+")
LEX_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
# How many once-seen corpus words stand in, per copy, for the trigger words
# the corpus lacks.  More gives larger lexicon copies but lets copies of
# rules with rare triggers run more often than their originals: with 4,
# such a copy runs on 3% of the sentences where its original runs on 1%.
RARE_POOL = 4


# ---- reading rules/ ---------------------------------------------------------

def yaml_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            if name.endswith(".yaml"):
                out.append(os.path.join(dirpath, name))
    return sorted(out)


def load_rules(root):
    """(lexicons, rules) of a rule directory.  Every lexicon comes back as a
    plain list of the words it stands for, verb forms made (see
    expand_lexicons), with its description and case."""
    raw, rules = {}, []
    for path in yaml_files(root):
        doc = miniyaml.load_file(path) or {}
        for name, lex in (doc.get("lexicons") or {}).items():
            have = raw.setdefault(name, {"words": []})
            for key, value in lex.items():
                if key != "words" and key not in have:
                    have[key] = value
            have["words"].extend(str(w) for w in lex.get("words") or [])
        rules.extend(doc.get("rules") or [])
    return expand_lexicons(raw), rules


def verb_forms(entry):
    """The forms of a lemma entry "base|past|participle|ing=form", made as
    docs/rules.md ("Verbs: lemmas and their forms") says; in a phrase the
    first word is the verb ("point out" -> "points out")."""
    parts = entry.split("|")
    given_ing = next((p[4:] for p in parts[1:] if p.startswith("ing=")), None)
    plain = [p for p in parts if not p.startswith("ing=")]
    base = plain[0]
    verb, sep, rest = base.partition(" ")

    def phrase(word):
        return word + sep + rest
    if re.search(r"(?:s|x|z|o|ch|sh)$", verb):
        third = verb + "es"
    elif re.search(r"[^aeiou]y$", verb):
        third = verb[:-1] + "ies"
    else:
        third = verb + "s"
    if len(plain) > 1:
        past = plain[1]
    elif verb.endswith("e"):
        past = phrase(verb + "d")
    elif re.search(r"[^aeiou]y$", verb):
        past = phrase(verb[:-1] + "ied")
    else:
        past = phrase(verb + "ed")
    if given_ing:
        ing = given_ing if " " in given_ing else phrase(given_ing)
    elif verb.endswith("ie"):
        ing = phrase(verb[:-2] + "ying")
    elif verb.endswith("e"):
        ing = phrase(verb[:-1] + "ing")
    else:
        ing = phrase(verb + "ing")
    return {"base": base, "s": phrase(third), "past": past,
            "participle": plain[2] if len(plain) > 2 else past, "ing": ing}


def expand_lexicons(raw):
    """Plain word lists for lexicons that list lemmas (inflect: verbs) or
    take forms of another lexicon (from, forms)."""
    out = {}
    for name, lex in raw.items():
        words = []
        source = raw.get(lex.get("from") or "")
        if source:
            for entry in source["words"]:
                forms = verb_forms(entry)
                words.extend(forms[f] for f in lex.get("forms") or ["base"] if f in forms)
        if lex.get("inflect") == "verbs":
            words.extend(verb_forms(w)["base"] for w in lex["words"])
        else:
            words.extend(lex["words"])
        out[name] = {k: lex[k] for k in ("description", "case") if k in lex}
        out[name]["words"] = list(dict.fromkeys(words))
    return out


# ---- corpus vocabulary ------------------------------------------------------

def vocabulary(articles):
    """For every word (case-folded), in how many corpus sentences it
    occurs, since the prefilter decides per sentence; and the words that
    occur in lower case at least once (so not only as names)."""
    counts, lower = {}, set()
    for sentence in corpus_sentences(articles):
        words = re.findall(r"[A-Za-z]+", sentence)
        lower.update(w for w in words if w.islower())
        for k in {w.lower() for w in words}:
            counts[k] = counts.get(k, 0) + 1
    return counts, lower


def corpus_sentences(articles):
    out = []
    for name in sorted(os.listdir(articles)):
        if name.endswith(".txt"):
            with open(os.path.join(articles, name), encoding="utf-8") as f:
                for line in f:
                    out.extend(s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if s)
    return out


# ---- walking a pattern ------------------------------------------------------

def rewrite_pattern(p, word=None, lexref=None):
    """Copy PCRE2 pattern p, passing each literal run of letters to
    word(run, in_class) and each {NAME} to lexref(name); a callback that
    returns None leaves the text as it was.  Escapes, character classes,
    group names and inline flags are never touched; in_class is True for
    the "[Ss]aid" idiom, where run is the whole word ("said")."""
    out, i, n = [], 0, len(p)
    while i < n:
        c = p[i]
        if c == "\\":
            j = i + 2
            e = p[i + 1:i + 2]
            if e in ("p", "P", "x", "o", "g", "N", "k") and p[j:j + 1] == "{":
                j = p.index("}", j) + 1
            elif e == "k" and p[j:j + 1] in ("<", "'"):
                j = p.index(">" if p[j] == "<" else "'", j + 1) + 1
            elif e in ("p", "P"):
                j += 1
            elif e == "x":
                while j < n and j < i + 4 and p[j] in "0123456789abcdefABCDEF":
                    j += 1
            elif e == "Q":
                end = p.find("\\E", j)
                j = n if end < 0 else end + 2
            out.append(p[i:j])
            i = j
        elif c == "[":
            m = re.match(r"\[([A-Z])([a-z])\]([a-z]+)", p[i:])
            if m and m.group(1).lower() == m.group(2):
                whole = m.group(2) + m.group(3)
                new = word(whole, True) if word else None
                out.append(m.group(0) if new is None else new)
                i += m.end()
                continue
            j = i + 1
            if p[j:j + 1] == "^":
                j += 1
            if p[j:j + 1] == "]":
                j += 1
            while j < n and p[j] != "]":
                if p[j] == "\\":
                    j += 2
                    if p[j - 1:j] in ("x", "p", "P") and p[j:j + 1] == "{":
                        j = p.index("}", j) + 1
                elif p.startswith("[:", j):
                    j = p.index(":]", j) + 2
                else:
                    j += 1
            out.append(p[i:j + 1])
            i = j + 1
        elif c == "(" and p.startswith("(?", i):
            m = (re.match(r"\(\?P?<([A-Za-z_]\w*)>", p[i:])
                 or re.match(r"\(\?'([A-Za-z_]\w*)'", p[i:])
                 or re.match(r"\(\?<[=!]", p[i:])
                 or re.match(r"\(\?[a-zA-Z^-]*[:)]", p[i:])
                 or re.match(r"\(\?[=!>|#]", p[i:])
                 or re.match(r"\(\?\(", p[i:]))
            if not m:
                raise ValueError(f"unknown group syntax at {p[i:i + 12]!r}")
            out.append(m.group(0))
            i += m.end()
        elif c == "{":
            m = LEX_REF.match(p, i)
            if m:
                new = lexref(m.group(1)) if lexref else None
                out.append(m.group(0) if new is None else "{" + new + "}")
                i = m.end()
            else:
                out.append(c)
                i += 1
        elif c.isalpha():
            j = i
            while j < n and p[j].isalpha():
                j += 1
            new = word(p[i:j], False) if word else None
            out.append(p[i:j] if new is None else new)
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def pattern_words(p):
    runs = []

    def note(run, in_class):
        runs.append(run)
    rewrite_pattern(p, word=note)
    return runs


def pattern_lexicons(p, lexicons):
    return [m for m in LEX_REF.findall(p) if m in lexicons]


# ---- trigger words ----------------------------------------------------------

def first_key(entry):
    """The word of a lexicon or `requires` entry that the map rewrites: its
    first word, which is what the prefilter keys the entry by ("pointed
    out" -> "pointed", "a mistake" -> "a")."""
    m = LETTERS.search(entry)
    return [m.group(0).lower()] if m else []


def triggers_of(rule, lexicons):
    """(lexicon names, trigger keys) that decide whether a rule can fire."""
    lex, keys = [], []
    for req in rule.get("requires") or []:
        req = str(req)
        m = LEX_REF.fullmatch(req)
        if m:
            lex.append(m.group(1))
        elif not req.startswith("#"):  # a class ("#digit") is kept as it is
            keys.extend(first_key(req))
    if rule.get("stage") == "block" and rule.get("pattern"):
        lex.extend(pattern_lexicons(rule["pattern"], lexicons))
        keys.extend(w.lower() for w in pattern_words(rule["pattern"]) if len(w) > 1)
    lex = [x for i, x in enumerate(lex) if x in lexicons and x not in lex[:i]]
    for name in lex:
        for entry in lexicons[name]["words"]:
            keys.extend(first_key(entry))
    return lex, sorted(set(keys))


# ---- the word map of one copy -----------------------------------------------

def build_map(keys, counts, candidates, rng):
    """Map every trigger key to a corpus word in about as many sentences."""
    by_count = {}
    for w in candidates:
        by_count.setdefault(counts[w], []).append(w)
    levels = sorted(by_count)
    rare_pool = rng.sample(by_count[levels[0]], min(RARE_POOL, len(by_count[levels[0]])))
    used, out = set(), {}
    # the most frequent keys choose first: frequent candidates are few
    for key in sorted(keys, key=lambda k: (-counts.get(k, 0), k)):
        c = counts.get(key, 0)
        if c == 0:
            out[key] = rng.choice(rare_pool)
            continue
        # the unused candidates whose frequency is nearest to c, by ratio
        open_levels = [lv for lv in levels if any(w not in used for w in by_count[lv])] or levels
        best = min(open_levels, key=lambda lv: max(lv, c) / min(lv, c))
        pick = rng.choice([w for w in by_count[best] if w not in used] or by_count[best])
        used.add(pick)
        out[key] = pick
    return out


def shaped(new, old):
    """new in the case shape of old."""
    if len(old) > 1 and old.isupper():
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def rewrite_text(text, wmap, keys):
    def sub(m):
        k = m.group(0).lower()
        return shaped(wmap[k], m.group(0)) if k in keys else m.group(0)
    return LETTERS.sub(sub, text)


def copy_rule(rule, k, wmap, lexicons):
    lex, keys = triggers_of(rule, lexicons)
    keys = set(keys)
    lexname = {name: f"{name}_B{k}" for name in lex}

    def word(run, in_class):
        key = run.lower()
        if key not in keys:
            return None
        new = wmap[key]
        if in_class:
            return f"[{new[0].upper()}{new[0]}]{new[1:]}"
        return shaped(new, run)

    new = {}
    for key, value in rule.items():
        if key == "id":
            new[key] = f"{value}.b{k}"
        elif key == "description":
            new[key] = f"{value} (bench copy {k})"
        elif key == "requires":
            req = []
            for r in value:
                r = str(r)
                m = LEX_REF.fullmatch(r)
                req.append("{" + lexname[m.group(1)] + "}" if m and m.group(1) in lexname
                           else r if r.startswith("#") else rewrite_text(r, wmap, keys))
            new[key] = list(dict.fromkeys(req))
        elif key == "pattern":
            new[key] = rewrite_pattern(value, word, lambda name: lexname.get(name))
        elif key == "examples":
            exs = []
            for ex in value:
                ex = dict(ex)
                ex["text"] = rewrite_text(str(ex["text"]), wmap, keys)
                if isinstance(ex.get("captures"), dict):
                    ex["captures"] = {g: None if v is None else rewrite_text(str(v), wmap, keys)
                                      for g, v in ex["captures"].items()}
                exs.append(ex)
            new[key] = exs
        else:
            new[key] = value
    return new, lexname


# ---- writing and checking ---------------------------------------------------

def q(value):
    return json.dumps(value, ensure_ascii=False)


def write_copy(path, k, lexcopies, rules, where):
    """Write one copy file; note in where[(basename, line)] which rule and
    example each line holds."""
    base = os.path.basename(path)
    lines = [f"# Generated by tests/bench/rulegen.py (copy {k}); not a real rule file.",
             "lexicons:" if lexcopies else "lexicons: {}"]
    for name, lex in lexcopies.items():
        lines.append(f"  {name}:")
        for key in ("description", "case"):
            if key in lex:
                lines.append(f"    {key}: {q(lex[key])}")
        lines.append(f"    words: {q(lex['words'])}")
    lines.append("rules:")
    for ri, rule in enumerate(rules):
        where[(base, len(lines) + 1)] = (k, ri, None)
        first = True
        for key, value in rule.items():
            if key == "examples":
                continue
            lines.append(f"  {'- ' if first else '  '}{key}: {q(value)}")
            first = False
        lines.append("    examples:")
        for ei, ex in enumerate(rule["examples"]):
            where[(base, len(lines) + 1)] = (k, ri, ei)
            lines.append(f"      - {q(ex)}")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def check(ascribe, directory):
    p = subprocess.run([ascribe, "rules", "check", directory], capture_output=True, text=True)
    problems = []
    for line in (p.stdout + p.stderr).splitlines():
        m = re.match(r"(.*?):(\d+):\d+: (.*)", line)
        if m:
            problems.append((os.path.basename(m.group(1)), int(m.group(2)), m.group(3)))
    summary = (p.stdout + p.stderr).strip().splitlines()[-1:] or [""]
    return p.returncode, problems, summary[0]


# ---- copies that would match without their words ---------------------------

PROBE = "qzxjv"    # a word no text has: what every trigger word becomes in a probe


def word_free(ascribe, rules_dir, keyed, lexicons, articles, work_parent):
    """Ids of the rules that match somewhere without any of their trigger
    words.  Each rule is copied once with every trigger word replaced by a
    word no text holds, and the copies are run with `ascribe annotate
    --profile` over the corpus articles and the positive examples of the
    rules.  A copy that still matches has a part no word decides (a
    branch that takes any digit, words that are optional): a bench copy
    of it would match there too, as the rule itself under another id."""
    all_keys = {key for r in keyed for key in triggers_of(r, lexicons)[1]}
    wmap = {key: PROBE for key in all_keys}
    probe = tempfile.mkdtemp(prefix=".probe-", dir=work_parent)
    try:
        shutil.rmtree(probe)
        shutil.copytree(rules_dir, probe)
        lexcopies, rcopies = {}, []
        for rule in keyed:
            new, lexname = copy_rule(rule, 0, wmap, lexicons)
            for name, cname in lexname.items():
                lex = dict(lexicons[name])
                lex["words"] = list(dict.fromkeys(
                    LETTERS.sub(lambda m: shaped(PROBE, m.group(0)), w, count=1)
                    for w in lex["words"]))
                lexcopies[cname] = lex
            new["examples"] = [{"text": "-", "match": False}]
            rcopies.append(new)
        write_copy(os.path.join(probe, "00-bench-probe.yaml"), 0, lexcopies, rcopies, {})
        texts = os.path.join(probe, "examples.txt")   # not .yaml: the loader skips it
        with open(texts, "w", encoding="utf-8") as f:
            for rule in keyed:
                for ex in rule.get("examples") or []:
                    if ex.get("match", True) is not False:
                        f.write(str(ex["text"]).strip() + "\n\n")
        inputs = [os.path.join(articles, n) for n in sorted(os.listdir(articles))
                  if n.endswith(".txt")] + [texts]
        report = os.path.join(probe, "profile.txt")
        p = subprocess.run([ascribe, "annotate", "--quiet", "--rules", probe,
                            "--profile", report, "-o", os.devnull] + inputs,
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"rulegen: probing the rules failed ({p.returncode}): {p.stderr.strip()}")
        free = set()
        with open(report, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\s*[\d.]+\s+[\d.]+%\s+\d+\s+(\d+)\s+(\S+)\.b0 \(", line)
                if m and int(m.group(1)) > 0:
                    free.add(m.group(2))
        return free
    finally:
        if os.path.exists(probe):
            shutil.rmtree(probe)


# ---- prefilter rate ---------------------------------------------------------

WORD = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*")
QUOTE_MARKS = set("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e")


def run_rate(rules, lexicons, sentences):
    """Mean share of sentences on which the prefilter lets a rule with
    `requires` run.  As in the engine, an entry is keyed by its first
    word, and an entry of several words also needs its second word next."""
    sents = []
    for s in sentences:
        words = WORD.findall(s.lower())
        sents.append((set(words), set(zip(words, words[1:]))))
    shares = []
    for rule in rules:
        req = rule.get("requires")
        if not req:
            continue
        single, pairs, classes = set(), set(), set()
        for r in req:
            if str(r).startswith("#"):
                classes.add(str(r))
                continue
            m = LEX_REF.fullmatch(str(r))
            for entry in lexicons[m.group(1)]["words"] if m else [str(r)]:
                words = WORD.findall(entry.lower())[:2]
                if len(words) == 1:
                    single.add(words[0])
                elif words:
                    pairs.add(tuple(words))
        hits = sum(1 for (ws, ps), text in zip(sents, sentences)
                   if ws & single or ps & pairs
                   or ("#digit" in classes and any(c.isdigit() for c in text))
                   or ("#quote" in classes and any(c in QUOTE_MARKS for c in text)))
        shares.append(hits / max(len(sents), 1))
    return sum(shares) / max(len(shares), 1)


# ---- main -------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ascribe", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--articles", required=True)
    ap.add_argument("--factor", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    lexicons, rules = load_rules(args.rules)
    originals = [r for r in rules if r.get("stage") in COPY_STAGES]
    counts, lower = vocabulary(args.articles)
    all_keys = sorted({key for r in originals for key in triggers_of(r, lexicons)[1]})
    prefilter_keys = {key for r in originals if r.get("requires")
                      for key in triggers_of(r, lexicons)[1]}
    candidates = sorted(w for w in lower if len(w) > 1 and w not in prefilter_keys)

    out_parent = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_parent, exist_ok=True)
    work = tempfile.mkdtemp(prefix=".rules-", dir=out_parent)
    try:
        shutil.rmtree(work)
        shutil.copytree(args.rules, work)
        # A rule with no trigger word (a prior, a punctuation or layout
        # rule, one keyed only by "#digit") has nothing to vary: its copy
        # would be the rule itself under another id, firing wherever it
        # does.  Such rules are not copied; their share of the FACTOR
        # times larger set goes to further copies of the rules that have
        # trigger words, so the set still holds FACTOR times the rules.
        keyed = [r for r in originals if any(triggers_of(r, lexicons))]
        # A rule that has trigger words but matches without them somewhere
        # (r"\d|five percent", optional words) is, there, the rule itself:
        # its copies would match wherever it does.  It is not copied either.
        free = word_free(args.ascribe, args.rules, keyed, lexicons, args.articles, out_parent)
        keyed = [r for r in keyed if r["id"] not in free]
        if not keyed:
            raise SystemExit("rulegen: no rule of rules/ has a trigger word to vary")
        wanted = (args.factor - 1) * len(originals)
        copies = {}        # k -> (lexicon copies, rule copies)
        made, k = 0, 1
        while made < wanted:
            k += 1
            rng = random.Random(f"{args.seed}:{k}")
            wmap = build_map(all_keys, counts, candidates, rng)
            lexcopies, rcopies = {}, []
            for rule in keyed[:wanted - made]:
                new, lexname = copy_rule(rule, k, wmap, lexicons)
                for name, cname in lexname.items():
                    if cname not in lexcopies:
                        lex = dict(lexicons[name])
                        words = [LETTERS.sub(lambda m: shaped(wmap[m.group(0).lower()], m.group(0)),
                                             w, count=1) for w in lex["words"]]
                        lex["words"] = list(dict.fromkeys(words))
                        lexcopies[cname] = lex
                rcopies.append(new)
            copies[k] = (lexcopies, rcopies)
            made += len(rcopies)

        dropped = negative_only = removed = 0
        fallback = set()   # ids of copies whose only example is the stand-in negative one
        for attempt in range(8):
            where = {}
            for k, (lexcopies, rcopies) in copies.items():
                write_copy(os.path.join(work, f"zz-bench-copy-{k:03d}.yaml"), k,
                           lexcopies, rcopies, where)
            rc, problems, summary = check(args.ascribe, work)
            if rc == 0:
                break
            if rc != 1:
                raise SystemExit(f"rulegen: ascribe rules check failed ({rc}):\n"
                                 + "\n".join(f"{f}:{ln}: {m}" for f, ln, m in problems[:20]))
            bad_examples, bad_rules = {}, set()
            for base, line, msg in problems:
                if (base, line) not in where:
                    raise SystemExit(f"rulegen: problem outside the copies: {base}:{line}: {msg}")
                k, ri, ei = where[(base, line)]
                if ei is None:
                    bad_rules.add((k, ri))
                else:
                    bad_examples.setdefault((k, ri), set()).add(ei)
            for (k, ri), eis in bad_examples.items():
                rule = copies[k][1][ri]
                if rule["id"] in fallback:
                    bad_rules.add((k, ri))
                    continue
                keep = [ex for i, ex in enumerate(rule["examples"]) if i not in eis]
                dropped += len(rule["examples"]) - len(keep)
                if not keep:
                    # nothing survived the rewrite: say only what the copy must not match
                    keep = [{"text": "-", "match": False}]
                    fallback.add(rule["id"])
                    negative_only += 1
                rule["examples"] = keep
            for k, ri in sorted(bad_rules, reverse=True):
                del copies[k][1][ri]
                removed += 1
        else:
            raise SystemExit("rulegen: examples still fail after 8 rounds: " + summary)
        where = {}
        for k, (lexcopies, rcopies) in copies.items():
            write_copy(os.path.join(work, f"zz-bench-copy-{k:03d}.yaml"), k, lexcopies, rcopies, where)
        rc, problems, summary = check(args.ascribe, work)
        if rc != 0:
            raise SystemExit("rulegen: final check failed: " + summary)

        sentences = corpus_sentences(args.articles)
        all_lex = dict(lexicons)
        for lexcopies, _ in copies.values():
            all_lex.update(lexcopies)
        copy_rules = [r for _, rc_ in copies.values() for r in rc_]
        rate_orig = run_rate(originals, all_lex, sentences)
        rate_copy = run_rate(copy_rules, all_lex, sentences)
        n = re.search(r"(\d+) rules", summary)
        note = (f"{n.group(1) if n else '?'} rules ({len(copy_rules)} copies of the {len(keyed)} "
                f"of {len(originals)} rules that have trigger words and need them, {k - 1} copies "
                f"of most; not copied as they match without their words: "
                f"{', '.join(sorted(free)) or 'none'}); "
                f"{dropped} copied examples dropped, {negative_only} copies kept only a negative "
                f"example, {removed} copies removed; the prefilter runs a rule with requires on "
                f"{rate_orig:.0%} of corpus sentences for the originals, {rate_copy:.0%} for the copies")
        # not a .yaml file, so the rule loader skips it; make bench prints it
        with open(os.path.join(work, "GENERATED.txt"), "w", encoding="utf-8") as f:
            f.write(note + "\n")
        if os.path.exists(args.out):
            shutil.rmtree(args.out)
        os.rename(work, args.out)
        work = None
        print(f"rulegen: {args.out}: {note}")
    finally:
        if work and os.path.exists(work):
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
