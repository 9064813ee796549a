#!/usr/bin/env python3
"""Builds the JSON Lines corpus of the scale tests.

Every article of corpus/articles is written COPIES times, each copy a record
with its own id, in a fixed order, so the file is the same on every run.
Among the good records sit the lines a real feed delivers now and then:
records ascribe must turn into error records, blank lines it must skip, and
valid records whose bytes trip up naive line splitting.

usage: make_corpus.py ARTICLES_DIR COPIES OUT
"""
import json
import os
import sys

# Lines that must become error records.  The id is the one the error record
# must carry: the record's own, or None when the line cannot be parsed.
BAD = [
    (b'{"id": "bad-json", "text": "the closing quote and brace are missing\n', None),
    (b'{"id": "bad-no-text", "outlet": "Scale Wire", "title": "no text"}\n', "bad-no-text"),
    (b'{"id": 90210, "title": "an integer id and no text"}\n', "90210"),
    (b'"a JSON string, not an object"\n', None),
    (b'{"id": "bad-text-type", "text": ["not", "a", "string"]}\n', "bad-text-type"),
    # Latin-1 bytes are not UTF-8: the line is not JSON at all
    (b'{"id": "bad-latin1", "text": "The caf\xe9 owner said it was fine."}\n', None),
]

# Blank lines: ascribe skips them and writes nothing for them.
BLANK = [b"\n", b" \t \n", b"\r\n"]

# Good records whose bytes matter: a CRLF line end, and U+2028 LINE
# SEPARATOR raw inside a string, which Python's str.splitlines() would split.
ODD = [
    json.dumps({"id": "odd-crlf", "text": "Officials said the ferry would sail."}).encode() + b"\r\n",
    json.dumps({"id": "odd-u2028", "text": "The mayor said\u2028the bridge would reopen."},
               ensure_ascii=False).encode("utf-8") + b"\n",
]


def articles(directory):
    found = []
    for name in sorted(os.listdir(directory)):
        if name.endswith(".txt"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                found.append((name[:-4], f.read()))
    return found


def main():
    directory, copies, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    texts = articles(directory)
    good = []
    for copy in range(copies):
        for stem, text in texts:
            title = text.split("\n", 1)[0][:80]
            record = {"id": f"{stem}-{copy:04d}", "outlet": "Scale Wire",
                      "url": f"https://example.org/{stem}/{copy}",
                      "date": "2024-05-01", "title": title, "text": text}
            good.append(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    # spread the unusual lines over the whole file, so that they land in
    # different chunks, the first at the very start; the file ends in a
    # record without a line end
    extra = [line for line, _ in BAD] + BLANK + ODD
    every = len(good) // len(extra)
    lines = []
    for n, line in enumerate(good):
        if n % every == 0 and n // every < len(extra):
            lines.append(extra[n // every])
        lines.append(line)
    lines.append(json.dumps({"id": "last-no-newline", "text": "Nobody said a word."}).encode())
    with open(out, "wb") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
