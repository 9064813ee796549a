#!/usr/bin/env python3
"""Write a news-style JSON Lines corpus for make bench.

Records are {"id","outlet","url","date","title","text"}, one a line, until
the file holds at least MB megabytes (10^6 bytes).  Every article is
recombined, with a random generator seeded by SEED, from the lines of
corpus/articles/*.txt, which the gold files there classify:

  * the article takes the page layout of a random source article: its
    lines before the body (headline, byline, timestamp, widgets), its wire
    dateline, its lines after the body (credits, related links, tags);
    each of those lines is drawn from all source lines of the same kind;
  * the body is 3 to 24 paragraphs: a third are whole source paragraphs,
    the rest one to four source sentences put together, with now and then
    a caption or subheading between them;
  * the people of the source articles (bylines, and speakers given with a
    role) get new names recombined from their first names and surnames,
    the same throughout one article so that "Dahl said" still follows
    "Eirik Dahl"; numbers get new digits of the same shape (years stay
    years, small numbers stay small, clock times are kept).

The same seed, size and sources give the same bytes.
"""

import argparse
import json
import os
import random
import re
import sys


def load_articles(src):
    """[(style, [(kind, segments, blank_after)])] per article, where a body
    line's segments are its sentences and a wire dateline stays in front."""
    out = []
    for name in sorted(os.listdir(src)):
        if not name.endswith(".txt"):
            continue
        base = name[:-4]
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(src, base + ".gold.json"), encoding="utf-8") as f:
            gold = json.load(f)
        lines = text.split("\n")
        starts, pos = [], 0
        for ln in lines:
            starts.append(pos)
            pos += len(ln) + 1
        per_line = {}
        pos = 0
        for seg in gold["sentences"]:
            at = text.find(seg["text"], pos)
            if at < 0:
                raise SystemExit(f"corpus.py: {base}: gold segment not found: {seg['text'][:60]!r}")
            pos = at + len(seg["text"])
            line = text.count("\n", 0, at)
            per_line.setdefault(line, []).append(seg)
        layout = []
        for i, ln in enumerate(lines):
            if not ln.strip():
                continue
            segs = per_line.get(i, [])
            blank = i + 1 < len(lines) and not lines[i + 1].strip()
            kinds = [s["kind"] for s in segs]
            if "body" in kinds:
                layout.append(("body", segs, blank))
            else:
                layout.append((kinds[0] if kinds else "boilerplate", [{"text": ln.strip(), "kind": "x"}], blank))
        out.append((gold.get("style"), gold, layout))
    return out


class Pools:
    def __init__(self, articles):
        self.lines = {}         # kind -> [line text]
        self.paragraphs = []    # [[sentence]]
        self.sentences = []
        self.datelines = []
        self.layouts = []
        self.outlets = sorted({g.get("outlet") for _, g, _ in articles if g.get("outlet")})
        people = set()
        for _, gold, layout in articles:
            self.layouts.append(layout)
            for kind, segs, _ in layout:
                if kind == "body":
                    body = [s["text"] for s in segs if s["kind"] == "body"]
                    if segs[0]["kind"] == "dateline":
                        self.datelines.append(segs[0]["text"])
                    self.paragraphs.append(body)
                    self.sentences.extend(body)
                else:
                    self.lines.setdefault(kind, []).append(segs[0]["text"])
            for seg in gold["sentences"]:
                sp = seg.get("speaker") or {}
                if seg["kind"] == "byline":
                    # "By Sam Hollis, Crime Reporter", "By Priya Raman and Owen Castell"
                    names = re.sub(r"^By\s+", "", seg["text"]).split(",")[0]
                    people.update(n.strip() for n in names.split(" and "))
                elif sp.get("name") and sp.get("role"):
                    people.add(sp["name"])
        person = re.compile(r"[A-Z\u00c0-\u00de][\w'\u2019-]+(?: (?:[a-z]+ )?[A-Z\u00c0-\u00de][\w'\u2019-]+){1,2}\Z")
        self.people = sorted(p for p in people if person.match(p))
        self.first_names = sorted({p.split(" ", 1)[0] for p in self.people})
        self.surnames = sorted({p.split(" ", 1)[1] for p in self.people})
        names = sorted(set(self.people) | set(self.surnames), key=lambda s: (-len(s), s))
        self.name_re = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")


# a number, with its thousands separators and decimals; not a clock time
NUMBER = re.compile(r"(?<![\d:.,])\d+(?:[.,]\d+)*(?![\d:])")


class Article:
    """Names and numbers of one generated article."""

    def __init__(self, pools, rng):
        self.pools, self.rng = pools, rng
        self.names = {}

    def new_surname(self, old):
        if old not in self.names:
            self.names[old] = self.rng.choice(self.pools.surnames)
        return self.names[old]

    def name(self, m):
        old = m.group(0)
        if old in self.names:
            return self.names[old]
        if " " in old and old in self.pools.people:
            first, last = old.split(" ", 1)
            new = f"{self.rng.choice(self.pools.first_names)} {self.new_surname(last)}"
        else:
            new = self.new_surname(old)
        self.names[old] = new
        return new

    def number(self, m):
        digits, rng = m.group(0), self.rng
        if digits.isdigit():
            value = int(digits)
            if len(digits) == 4 and 1900 <= value <= 2099:
                return str(rng.randint(1995, 2029))
            if len(digits) <= 2 and 1 <= value <= 31:
                return str(rng.randint(1, 28))
        first = rng.choice("123456789") if digits[0] != "0" else "0"
        return first + "".join(rng.choice("0123456789") if c.isdigit() else c for c in digits[1:])

    def vary(self, text):
        return NUMBER.sub(self.number, self.pools.name_re.sub(self.name, text))

    def paragraph(self):
        p, rng = self.pools, self.rng
        if rng.random() < 1 / 3:
            sentences = rng.choice(p.paragraphs)
        else:
            sentences = [rng.choice(p.sentences) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))]
        return self.vary(" ".join(sentences))

    def text(self):
        p, rng = self.pools, self.rng
        layout = rng.choice(p.layouts)
        body_at = [i for i, (kind, _, _) in enumerate(layout) if kind == "body"]
        first, last = body_at[0], body_at[-1]
        out, headline = [], None

        def line(kind, blank):
            out.append(self.vary(rng.choice(p.lines[kind])))
            out.append("\n\n" if blank else "\n")
            return out[-2]

        for kind, _, blank in layout[:first]:
            text = line(kind, blank)
            if kind == "headline" and headline is None:
                headline = text
        wire = layout[first][1][0]["kind"] == "dateline"
        for n in range(rng.randint(3, 24)):
            if n and rng.random() < 0.06:
                kind = "caption" if rng.random() < 0.5 and "caption" in p.lines else "headline"
                line(kind, True)
            para = self.paragraph()
            if n == 0 and wire:
                para = f"{self.vary(rng.choice(p.datelines))} {para}"
            out.append(para)
            out.append("\n\n")
        if last + 1 < len(layout):
            for kind, _, blank in layout[last + 1:]:
                line(kind, blank)
        return "".join(out).rstrip("\n") + "\n", headline


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")[:60]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", required=True, help="corpus/articles")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--mb", type=float, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    pools = Pools(load_articles(args.articles))
    rng = random.Random(args.seed)
    limit = int(args.mb * 1000 * 1000)
    tmp = f"{args.out}.tmp{os.getpid()}"
    size = n = 0
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        while size < limit:
            art = Article(pools, rng)
            text, title = art.text()
            if title is None:
                # the layout has no headline line: the record still has a title
                title = art.vary(rng.choice(pools.lines["headline"]))
            outlet = rng.choice(pools.outlets)
            date = f"{rng.randint(2015, 2025):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            record = {
                "id": f"bench-{args.seed}-{n:07d}",
                "outlet": outlet,
                "url": f"https://{slug(outlet)}.example/{date.replace('-', '/')}/{slug(title)}-{n}",
                "date": date,
                "title": title,
                "text": text,
            }
            line = json.dumps(record, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode("utf-8"))
            n += 1
    os.replace(tmp, args.out)
    print(f"corpus.py: {args.out}: {n} articles, {size / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
