#!/usr/bin/env python3
"""Checks an ascribe export against its format's own rules and against the
annotate JSON of the same document.

    check.py FORMAT ANNOTATE.json OUTPUT [OUTPUT.txt]

FORMAT is brat (OUTPUT is the .ann, OUTPUT.txt the text), webanno,
labelstudio, doccano or claimreview.  Every span is sliced out of the text
with the format's own offset convention (code points for brat, Web
Annotation and Label Studio; UTF-16 code units for doccano) and the words
must be those the annotate JSON gives (sliced in code points there).
Prints "ok - ..." and "not ok - ..." lines; exits 1 on any failure.
"""
import collections
import json
import re
import sys

FAILURES = []


def ok(cond, what):
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        FAILURES.append(what)
    return cond


def expected_spans(doc):
    """(label, [fragments]) for every span the exports carry."""
    spans = []
    for s in doc["sentences"]:
        if s["label"] is not None:
            spans.append(("Fact" if s["label"] == "fact" else "Opinion", [s["text"]]))
    text_of = lambda a, b: TEXT[a:b]
    for a in doc["attributions"]:
        if a["source"]:
            spans.append(("Source", [a["source"]["text"]]))
        cue = [(a["cue"]["start"], a["cue"]["text"])]
        if "second" in a["cue"]:
            cue.append((a["cue"]["second"]["start"], a["cue"]["second"]["text"]))
        # the parts in text order ("As the minister put it")
        spans.append(("Cue", [t for _, t in sorted(cue)]))
        if a["content"]:
            c = a["content"]
            pieces = c.get("pieces") or [[c["start"], c["end"]]]
            spans.append(("Content", [text_of(p, q) for p, q in pieces]))
    return spans


def utf16_slice(text, start, end):
    units = text.encode("utf-16-le")
    return units[2 * start:2 * end].decode("utf-16-le")  # raises on a cut surrogate


def same(got, want, what):
    g, w = collections.Counter(got), collections.Counter(want)
    if not ok(g == w, what):
        for k in list((w - g).elements())[:5]:
            print("#   missing: %r" % (k,))
        for k in list((g - w).elements())[:5]:
            print("#   extra:   %r" % (k,))


# ---- brat ------------------------------------------------------------------

CONF_ENTITIES = {"Source", "Cue", "Content", "Fact", "Opinion"}
CONF_RELATIONS = {"HasSource": ("Cue", "Source"), "HasContent": ("Cue", "Content")}
CONF_ATTRIBUTES = {"AttributionType": "Cue", "Anonymous": "Source", "Checkworthy": "Fact"}
ATTRIBUTION_TYPES = {"direct", "indirect", "mixed", "according-to", "citing", "told",
                     "described", "wrote-for", "outlet-report"}


def brat_fragments(pieces):
    """What brat's T line holds for these pieces: cut at line breaks, the
    cut ends' spaces dropped, fragments joined by one space."""
    out = []
    for p in pieces:
        for line in p.split("\n"):
            line = line.rstrip("\r ")
            if line:
                out.append(line.replace("\t", " "))
    return " ".join(out)


def check_brat(doc, ann_path, txt_path):
    txt = open(txt_path, encoding="utf-8", newline="").read()
    ok(txt == TEXT, "brat: the .txt is the annotated text")
    ids, types, got = set(), {}, []
    line_re = {
        "T": re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$"),
        "R": re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)$"),
        "A": re.compile(r"^(A\d+)\t(\S+) (T\d+)(?: (\S+))?$"),
        "#": re.compile(r"^(#\d+)\tAnnotatorNotes (T\d+)\t(.+)$"),
    }
    bad = []
    lines = open(ann_path, encoding="utf-8", newline="").read().split("\n")
    ok(lines[-1] == "", "brat: the .ann ends with a newline")
    for n, line in enumerate(lines[:-1], 1):
        m = line_re.get(line[:1], re.compile("^$")).match(line)
        if not m:
            bad.append("line %d is not brat standoff: %r" % (n, line))
            continue
        if m.group(1) in ids:
            bad.append("line %d: id %s used twice" % (n, m.group(1)))
        ids.add(m.group(1))
        kind = line[0]
        if kind == "T":
            tid, typ, offs, text = m.groups()
            if typ not in CONF_ENTITIES:
                bad.append("line %d: entity type %s not in annotation.conf" % (n, typ))
            frags = [tuple(map(int, f.split())) for f in offs.split(";")]
            last = -1
            for s, e in frags:
                if not (last <= s < e <= len(TEXT)) or "\n" in TEXT[s:e]:
                    bad.append("line %d: fragment %d %d out of order, empty, out of the text "
                               "or across a line" % (n, s, e))
                last = e
            if " ".join(TEXT[s:e] for s, e in frags) != text:
                bad.append("line %d: text %r is not the text at %s (code points)" % (n, text, offs))
            types[tid] = typ
            got.append((typ, text))
        elif kind == "R":
            rid, typ, a1, a2 = m.groups()
            if CONF_RELATIONS.get(typ) != (types.get(a1), types.get(a2)):
                bad.append("line %d: relation %s from %s to %s breaks annotation.conf"
                           % (n, typ, types.get(a1), types.get(a2)))
        elif kind == "A":
            aid, name, target, value = m.groups()
            if CONF_ATTRIBUTES.get(name) != types.get(target):
                bad.append("line %d: attribute %s on a %s" % (n, name, types.get(target)))
            if name == "AttributionType" and value not in ATTRIBUTION_TYPES:
                bad.append("line %d: attribution type %r" % (n, value))
        elif m.group(2) not in types:
            bad.append("line %d: note on an unknown annotation" % n)
    for b in bad[:8]:
        print("#   " + b)
    ok(not bad, "brat: every line follows the standoff format and annotation.conf")
    same(got, [(label, brat_fragments(p)) for label, p in expected_spans(doc)],
         "brat: the T spans, sliced in code points, are the annotate spans")


# ---- W3C Web Annotation ---------------------------------------------------------

MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing",
               "editing", "highlighting", "identifying", "linking", "moderating",
               "questioning", "replying", "tagging"}


def check_webanno(doc, path):
    root = json.load(open(path, encoding="utf-8"))
    ok(root.get("@context") == "http://www.w3.org/ns/anno.jsonld", "webanno: the anno.jsonld context")
    ok(root.get("type") == "AnnotationCollection" and "id" in root, "webanno: an AnnotationCollection with an id")
    items = root["first"]["items"]
    ok(root["first"].get("type") == "AnnotationPage", "webanno: its first page is an AnnotationPage")
    ok(root.get("total") == len(items), "webanno: total counts the annotations")
    bad, got, ids = [], collections.defaultdict(list), set()
    for a in items:
        if a.get("type") != "Annotation" or a.get("motivation") not in MOTIVATIONS or "id" not in a:
            bad.append("annotation %s: type, id or motivation" % a.get("id"))
        if a.get("id") in ids:
            bad.append("annotation id %s twice" % a.get("id"))
        ids.add(a.get("id"))
        for body in a.get("body", []):
            if body.get("type") != "TextualBody" or body.get("purpose") not in MOTIVATIONS \
                    or not isinstance(body.get("value"), str):
                bad.append("annotation %s: body %r" % (a["id"], body))
        targets = a["target"] if isinstance(a["target"], list) else [a["target"]]
        frags = []
        for t in targets:
            sel = {s["type"]: s for s in t["selector"]}
            q, p = sel.get("TextQuoteSelector"), sel.get("TextPositionSelector")
            if not q or not p or not t.get("source"):
                bad.append("annotation %s: a target needs a source and both selectors" % a["id"])
                continue
            s, e = p["start"], p["end"]
            if not (0 <= s <= e <= len(TEXT)) or TEXT[s:e] != q["exact"]:
                bad.append("annotation %s: exact %r is not the text at %d..%d" % (a["id"], q["exact"], s, e))
            if q["prefix"] != TEXT[max(0, s - 32):s] or q["suffix"] != TEXT[e:e + 32]:
                bad.append("annotation %s: prefix or suffix is not the text around it" % a["id"])
            frags.append(q["exact"])
        tags = [b["value"] for b in a.get("body", [])]
        if a["motivation"] == "classifying":
            label = "Fact" if "fact" in tags else "Opinion"
        else:
            label = next(t.capitalize() for t in tags if t in ("source", "cue", "content"))
        got[label].append(tuple(frags))
    for b in bad[:8]:
        print("#   " + b)
    ok(not bad, "webanno: every annotation and selector follows the model")
    flat = [(label, f) for label, l in got.items() for f in l]
    same(flat, [(label, tuple(p)) for label, p in expected_spans(doc)],
         "webanno: TextPositionSelector spans, sliced in code points, are the annotate spans")


# ---- Label Studio ----------------------------------------------------------

def check_labelstudio(doc, path):
    tasks = json.load(open(path, encoding="utf-8"))
    ok(isinstance(tasks, list) and len(tasks) == 1, "labelstudio: a JSON list of tasks")
    task = tasks[0]
    ok(task["data"]["text"] == TEXT, "labelstudio: data.text is the text")
    results = task["predictions"][0]["result"]
    ok(isinstance(task["predictions"][0].get("model_version"), str), "labelstudio: the prediction names its model")
    regions = {r["id"]: r for r in results if r["type"] == "labels"}
    ok(len(regions) == sum(1 for r in results if r["type"] == "labels"), "labelstudio: region ids are unique")
    bad = []
    for r in regions.values():
        v = r["value"]
        if r.get("to_name") != "text" or r.get("from_name") not in ("statement", "attribution"):
            bad.append("region %s: from_name/to_name" % r["id"])
        if TEXT[v["start"]:v["end"]] != v["text"]:
            bad.append("region %s: %r is not the text at %d..%d (code points)" % (r["id"], v["text"], v["start"], v["end"]))
        if len(v["labels"]) != 1:
            bad.append("region %s: one label" % r["id"])
    rels = [r for r in results if r["type"] == "relation"]
    for r in rels:
        if r["from_id"] not in regions or r["to_id"] not in regions:
            bad.append("relation %s -> %s to a missing region" % (r["from_id"], r["to_id"]))
    for b in bad[:8]:
        print("#   " + b)
    ok(not bad, "labelstudio: regions and relations follow the task format")
    # a region is one run of text: the pieces of a quotation are regions of
    # their own, related to the cue
    got = []
    by_cue = collections.defaultdict(list)
    for r in rels:
        by_cue[r["from_id"]].append(regions[r["to_id"]])
    for r in regions.values():
        label = r["value"]["labels"][0]
        if label in ("Fact", "Opinion"):
            got.append((label, (r["value"]["text"],)))
        elif label == "Cue" and r["id"].endswith("cue0"):
            parts = collections.defaultdict(list)
            parts["Cue"].append(r["value"]["text"])
            for o in by_cue[r["id"]]:
                parts[o["value"]["labels"][0]].append(o["value"]["text"])
            for k, v in parts.items():
                got.append((k, tuple(v)))
    same(got, [(label, tuple(p)) for label, p in expected_spans(doc)],
         "labelstudio: regions, sliced in code points, are the annotate spans")


# ---- doccano ------------------------------------------------------------------

def check_doccano(doc, path):
    lines = [l for l in open(path, encoding="utf-8").read().split("\n") if l]
    ok(len(lines) == 1, "doccano: one JSON line per document")
    rec = json.loads(lines[0])
    ok(rec["text"] == TEXT, "doccano: text is the text")
    ents = {e["id"]: e for e in rec["entities"]}
    bad = []
    for e in rec["entities"]:
        if not (0 <= e["start_offset"] < e["end_offset"]):
            bad.append("entity %d: offsets" % e["id"])
    for r in rec["relations"]:
        if r["from_id"] not in ents or r["to_id"] not in ents or ents[r["from_id"]]["label"] != "Cue":
            bad.append("relation %d" % r["id"])
    try:
        sliced = {i: utf16_slice(TEXT, e["start_offset"], e["end_offset"]) for i, e in ents.items()}
    except UnicodeDecodeError:
        sliced = {}
        bad.append("an offset cuts a surrogate pair in two")
    for b in bad[:8]:
        print("#   " + b)
    ok(not bad, "doccano: entities and relations follow the import format")
    by_cue = collections.defaultdict(list)
    for r in rec["relations"]:
        by_cue[r["from_id"]].append(r["to_id"])
    got, cues_seen = [], set()
    for r in rec["relations"]:
        cues_seen.add(r["to_id"])
    for i, e in ents.items():
        if e["label"] in ("Fact", "Opinion"):
            got.append((e["label"], (sliced.get(i),)))
        elif e["label"] == "Cue" and i not in cues_seen:
            parts = collections.defaultdict(list)
            parts["Cue"].append(sliced.get(i))
            for o in by_cue[i]:
                parts[ents[o]["label"]].append(sliced.get(o))
            for k, v in parts.items():
                got.append((k, tuple(v)))
    same(got, [(label, tuple(p)) for label, p in expected_spans(doc)],
         "doccano: entities, sliced in UTF-16 code units, are the annotate spans")
    if any(ord(c) > 0xFFFF for c in TEXT):
        first = min((e for e in rec["entities"]), key=lambda e: -e["start_offset"])
        ok(TEXT[first["start_offset"]:first["end_offset"]] != sliced[first["id"]],
           "doccano: after an emoji, code points would give other words (the test means something)")


# ---- ClaimReview --------------------------------------------------------------------

def check_claimreview(doc, path):
    root = json.load(open(path, encoding="utf-8"))
    ok(root.get("@context") == "https://schema.org", "claimreview: the schema.org context")
    reviews = root["@graph"]
    want = []
    for a in doc["attributions"]:
        if a["content"] and a["source"] and "name" in a["source"]:
            c = a["content"]
            pieces = c.get("pieces") or [[c["start"], c["end"]]]
            want.append((" \u2026 ".join(TEXT[p:q] for p, q in pieces), a["source"]["name"]))
    bad = []
    got = []
    for r in reviews:
        item = r.get("itemReviewed", {})
        if r.get("@type") != "ClaimReview" or item.get("@type") != "Claim":
            bad.append("not a ClaimReview of a Claim")
        if "reviewRating" in r:
            bad.append("a rating: ascribe gives no verdict")
        author = item.get("author", {})
        if author.get("@type") not in ("Person", "Organization") or not author.get("name"):
            bad.append("the claim's author")
        if item.get("appearance", {}).get("@type") not in ("NewsArticle", "CreativeWork"):
            bad.append("the claim's appearance")
        got.append((r.get("claimReviewed"), author.get("name")))
    for b in bad[:8]:
        print("#   " + b)
    ok(not bad, "claimreview: every draft has claim, author and appearance, and no rating")
    same(got, want, "claimreview: one draft per attributed claim, with its words and its author")


def main(argv):
    global TEXT
    fmt, annotate_json, output = argv[:3]
    doc = json.load(open(annotate_json, encoding="utf-8"))
    txt = argv[3] if len(argv) > 3 else None
    if txt is None:
        raise SystemExit("check.py: give the text file as the fourth argument")
    TEXT = open(txt, encoding="utf-8", newline="").read()
    ok(len(TEXT) == doc["document"]["length"], "%s: the text is the annotated one" % fmt)
    {"brat": lambda: check_brat(doc, output, txt),
     "webanno": lambda: check_webanno(doc, output),
     "labelstudio": lambda: check_labelstudio(doc, output),
     "doccano": lambda: check_doccano(doc, output),
     "claimreview": lambda: check_claimreview(doc, output)}[fmt]()
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
