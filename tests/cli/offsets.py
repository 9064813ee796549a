#!/usr/bin/env python3
"""offsets.py INPUT OUTPUT - checks every span of ascribe's JSON output
against the text it was made from.

The text is repaired as read.c does (docs/limits.md): a leading byte-order
mark is dropped, each byte that does not begin a well-formed UTF-8 sequence
and each NUL becomes one U+FFFD.  Then for every sentence, speaker, cue,
source, outlet and content, 0 <= start <= end <= length and, where the span
carries its text, text == repaired[start:end] (code points, end exclusive).
Prints one line per mismatch; exits 1 if there is any."""
import json
import sys


def repair(data):
    out = []
    i = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while i < len(data):
        b = data[i]
        n = 1 if b < 0x80 else 2 if 0xC2 <= b < 0xE0 else 3 if 0xE0 <= b < 0xF0 else 4 if 0xF0 <= b < 0xF5 else 0
        if b == 0 or n == 0:
            out.append("\ufffd")
            i += 1
            continue
        try:
            out.append(data[i:i + n].decode("utf-8"))
            i += n
        except UnicodeDecodeError:
            out.append("\ufffd")
            i += 1
    return "".join(out)


def spans(value, path):
    if isinstance(value, dict):
        if "start" in value or "end" in value:
            yield path, value
        for k, v in value.items():
            yield from spans(v, path + "." + k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from spans(v, "%s[%d]" % (path, i))


def main():
    text = repair(open(sys.argv[1], "rb").read())
    doc = json.load(open(sys.argv[2], encoding="utf-8"))
    bad = 0
    checked = 0
    if doc["document"]["length"] != len(text):
        print("length %d, want %d" % (doc["document"]["length"], len(text)))
        bad += 1
    for path, span in spans(doc, ""):
        s, e = span.get("start"), span.get("end")
        checked += 1
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text)):
            print("%s: bad span %r..%r" % (path, s, e))
            bad += 1
        elif "text" in span and span["text"] != text[s:e]:
            print("%s: text %r, but [%d:%d] is %r" % (path, span["text"], s, e, text[s:e]))
            bad += 1
    for a in doc.get("attributions", []):
        for s, e in (a.get("content") or {}).get("pieces", []):
            checked += 1
            if not 0 <= s <= e <= len(text):
                print("pieces: bad span %r..%r" % (s, e))
                bad += 1
    if checked == 0:
        print("no spans to check")
        bad += 1
    sys.exit(1 if bad else 0)


main()
