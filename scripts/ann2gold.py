#!/usr/bin/env python3
"""Builds corpus/articles/NAME.txt and NAME.gold.json from corpus/src/NAME.ann.

An .ann file is an article written one segment per line, with its gold
annotation (docs/gold.md):

    # id: n01-ferry-strike          header lines: id, style, split, outlet
                                    (split: tune, heldout or calibrate)
    KIND | LABEL | TEXT | SPEAKER | OUTLET | CUE

KIND is H headline, Y byline, D dateline, C caption, X boilerplate or
B body.  LABEL is space-separated words (docs/labels.md): first fact,
opinion or -; for fact and opinion then the voice, author or attributed
(required); then optionally check when the sentence is check-worthy, as in
"fact attributed check" or "opinion author".  A "-" sentence has no voice
and no check; the gold gets "voice" (null for "-") and "checkworthy" (true
or false, null for "-").  SPEAKER is - or a name, optionally
followed by "@role" and ";anon".  OUTLET and CUE are - or text; trailing
empty fields may be left out.  A blank line ends a paragraph.  Within a
paragraph, body segments are joined by one space into one line, and a
dateline is joined to the body line after it; every other segment is a line
of its own.

TEXT may mark attribution spans (docs/attribution.md, docs/gold.md):
[[s1 ...]] a source, [[c1 ...]] a cue, [[q1 ...]] a content, the number
tying the three of one attribution together within the article.  A role may
have several pieces (the same id again); marks nest.  A source may name the
entity it refers to: [[s2=Sergei Lavrov|he]].  The marks are removed from
the text; the spans go into the gold file's "attributions".
"""
import json
import re
import sys
from pathlib import Path

MARK = re.compile(r"\[\[([scq])(\d+)(?:=([^|\]]+)\|)?")


def strip_marks(text, where):
    """Returns the text without marks and the pieces [(role, id, start,
    end, resolves)] with offsets into it."""
    out, stack, pieces, i = [], [], [], 0
    while i < len(text):
        m = MARK.match(text, i)
        if m:
            stack.append((m.group(1), int(m.group(2)), sum(map(len, out)),
                          m.group(3)))
            i = m.end()
            if i < len(text) and text[i] == " ":
                i += 1
            continue
        if text.startswith("]]", i) and stack:
            role, num, start, resolves = stack.pop()
            end = sum(map(len, out))
            if end <= start:
                sys.exit(f"{where}: empty [[{role}{num}]]")
            pieces.append((role, num, start, end, resolves))
            i += 2
            continue
        out.append(text[i])
        i += 1
    if stack:
        sys.exit(f"{where}: [[{stack[-1][0]}{stack[-1][1]} is not closed")
    plain = "".join(out)
    if "[[" in plain or "]]" in plain:
        sys.exit(f"{where}: stray [[ or ]]")
    return plain, pieces

# tune: rules may be written from it; heldout: never read while writing
# rules; calibrate: never read while writing rules, used only to fit the
# calibration of the label stage (docs/gold.md)
SPLITS = ("tune", "heldout", "calibrate")

KINDS = {"H": "headline", "Y": "byline", "D": "dateline", "C": "caption",
         "X": "boilerplate", "B": "body"}


def parse_label(field, where):
    """Returns (label, voice, checkworthy) from a LABEL field such as
    "fact attributed check"; voice and checkworthy are None for "-"."""
    words = field.split()
    if not words:
        sys.exit(f"{where}: empty label")
    label, rest = words[0], words[1:]
    if label not in ("fact", "opinion", "-"):
        sys.exit(f"{where}: unknown label {label!r}")
    if label == "-":
        if rest:
            sys.exit(f"{where}: {' '.join(rest)!r} on an unlabelled segment")
        return label, None, None
    if not rest:
        sys.exit(f"{where}: {label} needs a voice (author or attributed)")
    voice = rest.pop(0)
    if voice not in ("author", "attributed"):
        sys.exit(f"{where}: unknown voice {voice!r} (author or attributed)")
    check = False
    if rest and rest[0] == "check":
        check = True
        rest.pop(0)
    if rest:
        sys.exit(f"{where}: unknown word {rest[0]!r} in label")
    return label, voice, check


def parse(path):
    meta, paras, cur = {}, [], []
    for n, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        line = raw.rstrip("\n")
        if line.startswith("# "):
            key, _, value = line[2:].partition(":")
            meta[key.strip()] = value.strip()
            continue
        if not line.strip():
            if cur:
                paras.append(cur)
                cur = []
            continue
        fields = [f.strip() for f in line.split(" | ")]
        fields += ["-"] * (6 - len(fields))
        kind, label, text, speaker, outlet, cue = fields[:6]
        text, pieces = strip_marks(text, f"{path}:{n}")
        if kind not in KINDS:
            sys.exit(f"{path}:{n}: unknown kind {kind!r}")
        label, voice, check = parse_label(label, f"{path}:{n}")
        sp = None
        if speaker != "-":
            anon = speaker.endswith(";anon")
            speaker = speaker[:-5] if anon else speaker
            name, _, role = speaker.partition("@")
            sp = {"name": name.strip(), "role": role.strip() or None, "anonymous": anon}
        cur.append({"text": text, "kind": KINDS[kind], "_pieces": pieces,
                    "speaker": sp,
                    "outlet": None if outlet == "-" else outlet,
                    "cue": None if cue == "-" else cue,
                    "label": None if label == "-" else label,
                    "voice": voice, "checkworthy": check})
    if cur:
        paras.append(cur)
    return meta, paras


def render(paras, crlf):
    lines = []
    for para in paras:
        line, out = "", []
        for seg in para:
            if seg["kind"] == "body":
                line = f"{line} {seg['text']}" if line else seg["text"]
            elif seg["kind"] == "dateline" and not line:
                line = seg["text"]
            else:
                if line:
                    out.append(line)
                    line = ""
                out.append(seg["text"])
        if line:
            out.append(line)
        lines.append("\n".join(out))
    nl = "\r\n" if crlf else "\n"
    return nl.join(("\n\n".join(lines) + "\n").split("\n"))


def main():
    root = Path(__file__).resolve().parent.parent
    out_dir = root / "corpus" / "articles"
    out_dir.mkdir(parents=True, exist_ok=True)
    for src in sorted((root / "corpus" / "src").glob("*.ann")):
        meta, paras = parse(src)
        if meta.get("split") not in SPLITS:
            sys.exit(f"{src}: split must be one of {', '.join(SPLITS)}, "
                     f"not {meta.get('split')!r}")
        text = render(paras, meta.get("newline") == "crlf")
        name = meta["id"]
        (out_dir / f"{name}.txt").write_bytes(text.encode("utf-8"))
        segs = [seg for para in paras for seg in para]
        attributions, pos = {}, 0
        for k, seg in enumerate(segs):
            i = text.find(seg["text"], pos)
            if i < 0:
                sys.exit(f"{src}: segment not found in order: {seg['text'][:60]}")
            pos = i + len(seg["text"])
            for role, num, start, end, resolves in seg.pop("_pieces"):
                a = attributions.setdefault(num, {"id": num, "source": None,
                                                  "cue": None, "content": None})
                key = {"s": "source", "c": "cue", "q": "content"}[role]
                span = a[key] or {"text": "", "spans": []}
                span["spans"].append([i + start, i + end])
                span["spans"].sort()
                span["text"] = " … ".join(text[x:y] for x, y in span["spans"])
                span["sentences"] = sorted(set(span.get("sentences", []) + [k]))
                if role == "s":
                    span["resolves"] = resolves or span.get("resolves")
                a[key] = span
        for num, a in sorted(attributions.items()):
            if not a["content"] or not (a["source"] or a["cue"]):
                sys.exit(f"{src}: attribution {num} needs a content and a source or cue")
        gold = {"id": name, "style": meta["style"], "split": meta["split"],
                "outlet": meta.get("outlet"),
                "sentences": segs}
        if attributions:
            gold["attributions"] = [a for _, a in sorted(attributions.items())]
        (out_dir / f"{name}.gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
