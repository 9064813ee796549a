#!/usr/bin/env python3
"""Run the measurements of make bench and print the report.

tests/bench.sh prepares the inputs (corpus, larger rule sets, node
packages) and calls this script; docs/performance.md explains every
number.  Nothing here fails because something is slow: the exit status is
non-zero only when ascribe itself fails, since its numbers would then mean
nothing.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import textwrap
import time

MB = 1000 * 1000
STARTUP_RUNS = 7
# A sample run shorter than this is repeated and its median kept, since
# other work on the machine moves a short run by tens of percent.
REPEAT_BELOW = 10.0
REPEATS = 3
# Pairs of -j 1 and -j 2 runs for the median ratio of the threads section.
THREAD_PAIRS = 3
TIME = "/usr/bin/time"


class Run:
    """One timed process: wall seconds and peak RSS in KiB (None when
    /usr/bin/time is missing)."""

    def __init__(self, seconds, rss_kib, returncode, stdout, stderr):
        self.seconds, self.rss_kib = seconds, rss_kib
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def timed(argv, work, env=None):
    rss_file = os.path.join(work, "rss.txt")
    wrap = [TIME, "-f", "%M", "-o", rss_file] if os.access(TIME, os.X_OK) else []
    start = time.perf_counter()
    p = subprocess.run(wrap + argv, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    rss = None
    if wrap:
        try:
            with open(rss_file) as f:
                # GNU time writes "Command exited with non-zero status N" first on failure
                rss = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            rss = None
    return Run(seconds, rss, p.returncode, p.stdout, p.stderr)


def median_run(run_once):
    """(run, number of runs): one run, or the median of REPEATS when the
    first is shorter than REPEAT_BELOW seconds.  None when a run failed."""
    first = run_once()
    if first is None or first.seconds >= REPEAT_BELOW:
        return first, 1
    runs = [first]
    for _ in range(REPEATS - 1):
        r = run_once()
        if r is None or r.returncode != first.returncode:
            return r, len(runs) + 1
        runs.append(r)
    runs.sort(key=lambda r: r.seconds)
    return runs[len(runs) // 2], len(runs)


def file_mb(path):
    return os.path.getsize(path) / MB


def fmt_rss(kib):
    return "?" if kib is None else f"{kib / 1024:.1f} MiB"


def fmt_s(s):
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def row(label, value, note=""):
    print(f"  {label:<22} {value:<14} {note}".rstrip())


def table(header, rows, align):
    """Print rows of cells with every column as wide as its widest cell;
    align holds one letter per column, l or r."""
    cells = [header] + rows
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(r):
        out = [c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(r, widths, align)]
        return "  " + "  ".join(out).rstrip()
    print(line(header))
    for r in rows:
        print(line(r))


def sample(corpus, megabytes, work):
    """The first whole records of corpus up to megabytes; the corpus
    itself when it is not larger."""
    if megabytes <= 0 or os.path.getsize(corpus) <= megabytes * MB:
        return corpus, False
    path = os.path.join(work, f"sample-{megabytes:g}MB.jsonl")
    limit, size = megabytes * MB, 0
    with open(corpus, "rb") as src, open(path + ".tmp", "wb") as dst:
        for line in src:
            if size + len(line) > limit and size:
                break
            dst.write(line)
            size += len(line)
    os.replace(path + ".tmp", path)
    return path, True


def records_in(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def count_sentences(path):
    """Sentences in ascribe's JSON Lines output.  Counting the "index"
    members is fast; the first records are parsed to confirm that it
    counts what json.loads counts, else every record is parsed."""
    fast, verified = 0, True
    with open(path, "rb") as f:
        for i, line in enumerate(f):
            n = line.count(b'{"index":')
            if i < 500 and line.strip():
                if n != len(json.loads(line).get("sentences") or []):
                    verified = False
                    break
            fast += n
    if verified:
        return fast
    total = 0
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                total += len(json.loads(line).get("sentences") or [])
    return total


def count_evidence(path):
    """The evidence entries in ascribe's JSON Lines output, each a rule's
    match that the output keeps: counted by the opening '{"rule":' that
    only they have (an attribution names its rule after other members)."""
    with open(path, "rb") as f:
        return sum(line.count(b'{"rule":') for line in f)


def rule_count(ascribe, rules):
    p = subprocess.run([ascribe, "rules", "check", rules], capture_output=True, text=True)
    m = re.search(r"(\d+) rules", p.stdout + p.stderr)
    return int(m.group(1)) if m else None


class Bench:
    def __init__(self, args):
        self.a = args
        self.work = args.work
        self.out = os.path.join(self.work, "out.jsonl")
        self.failed = False

    def annotate(self, corpus, rules, jobs=None):
        argv = [self.a.ascribe, "annotate", "--quiet", "--rules", rules, "--input", "jsonl"]
        if jobs is not None:
            argv += ["-j", str(jobs)]
        argv += [corpus, "-o", self.out]
        run = timed(argv, self.work)
        # exit 1 with JSON Lines: error records were written (some records,
        # or all of them, depending on the build); still timed, but say so
        if run.returncode not in (0, 1):
            print(f"  ascribe failed (exit {run.returncode}): {' '.join(argv)}")
            print("  " + run.stderr.strip().replace("\n", "\n  "))
            self.failed = True
            return None
        if run.returncode == 1:
            last = (run.stderr.strip().splitlines() or ["?"])[-1]
            print(f"  note: ascribe exited 1, records were errors ({last})")
        return run

    def jobs_supported(self):
        p = subprocess.run([self.a.ascribe, "annotate", "--help"], capture_output=True, text=True)
        return re.search(r"(?m)(^|[\s,])(-j\b|--jobs\b)", p.stdout + p.stderr) is not None

    def startup(self, rules, runs=STARTUP_RUNS):
        """Median seconds to load and compile rules and annotate nothing."""
        empty = os.path.join(self.work, "empty.jsonl")
        open(empty, "w").close()
        times = []
        for _ in range(runs):
            r = self.annotate(empty, rules)
            if r is None:
                return None
            times.append(r.seconds)
        return statistics.median(times)

    # -- sections --------------------------------------------------------

    def header(self):
        cpu = "?"
        try:
            with open("/proc/cpuinfo") as f:
                m = re.search(r"model name\s*:\s*(.*)", f.read())
                cpu = m.group(1).strip() if m else cpu
        except OSError:
            pass
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"ascribe bench: {self.a.ascribe}")
        print(f"  machine: {os.cpu_count()} cores, {cpu}, load average {load:.2f} at start")
        print(f"  corpus:  {self.a.corpus} ({self.a.corpus_note})")
        print()

    def main_run(self, jobs_ok):
        a = self.a
        size = file_mb(a.corpus)
        print("ascribe annotate --input jsonl, JSON in, JSON out to a file, default rules")
        row("input", f"{size:.1f} MB", f"{records_in(a.corpus):,} records")
        row("rules", str(rule_count(a.ascribe, a.rules)))
        st = self.startup(a.rules)
        if st is None:
            return None
        row("start-up", f"{st * 1000:.1f} ms", f"median of {STARTUP_RUNS} runs on an empty input")
        run = self.annotate(a.corpus, a.rules, 1 if jobs_ok else None)
        if run is None:
            return None
        sentences = count_sentences(self.out)
        out_mb = file_mb(self.out)
        mbps = size / run.seconds
        row("throughput", f"{mbps:.2f} MB/s",
            "per core (-j 1)" if jobs_ok else "one process, the build has no -j")
        row("sentences", f"{sentences / run.seconds:,.0f} /s", f"{sentences:,} in {fmt_s(run.seconds)}")
        row("peak RSS", fmt_rss(run.rss_kib), "/usr/bin/time -f %M" if run.rss_kib else
            "install GNU time (/usr/bin/time) to measure")
        row("output", f"{out_mb:.1f} MB", "JSON Lines")
        print()
        return run

    def threads(self, jobs_ok, run1):
        print("threads")
        if not jobs_ok:
            print("  -j not supported by this build")
            print()
            return
        size = file_mb(self.a.corpus)
        run = self.annotate(self.a.corpus, self.a.rules, 2)
        if run is None:
            return
        mbps1, mbps2 = size / run1.seconds, size / run.seconds
        table(["", "MB/s", "MB/s per core", "time", "peak RSS"],
              [["-j 1", f"{mbps1:.2f}", f"{mbps1:.2f}", fmt_s(run1.seconds), fmt_rss(run1.rss_kib)],
               ["-j 2", f"{mbps2:.2f}", f"{mbps2 / 2:.2f}", fmt_s(run.seconds), fmt_rss(run.rss_kib)]],
              "lrrrr")
        row("ratio -j 2 / -j 1", f"{mbps2 / mbps1:.2f}", "2.00 would be perfect scaling")
        # One run of each moves with what else the machine does; pairs of
        # runs on a sample, one after the other, give a steadier ratio.
        path, cut = sample(self.a.corpus, self.a.threads_mb, self.work)
        ratios = []
        for _ in range(THREAD_PAIRS):
            r1 = self.annotate(path, self.a.rules, 1)
            r2 = self.annotate(path, self.a.rules, 2)
            if r1 is None or r2 is None:
                return
            ratios.append(r1.seconds / r2.seconds)
        what = f"the first {file_mb(path):.1f} MB" if cut else "the whole corpus"
        row("ratio, median", f"{statistics.median(ratios):.2f}",
            f"of {THREAD_PAIRS} pairs of runs on {what}: "
            + ", ".join(f"{x:.2f}" for x in ratios))
        print()

    def rule_scaling(self, jobs_ok):
        a = self.a
        path, cut = sample(a.corpus, a.rules_mb, self.work)
        size = file_mb(path)
        what = f"the first {size:.1f} MB of the corpus" if cut else "the whole corpus"
        print(f"rule scaling, on {what} ({records_in(path):,} records)")
        rows, base, base_out, base_evidence = [], None, None, None
        for label, rules in (("1x", a.rules), ("5x", a.rules5), ("25x", a.rules25)):
            if not rules:
                continue
            st = self.startup(rules, 3)
            run, n = median_run(lambda: self.annotate(path, rules, 1 if jobs_ok else None))
            if run is None or st is None:
                return
            if base is None:
                base, base_text = run.seconds, run.seconds - st
            # the time the text takes: the run less the set's start-up
            text = run.seconds - st
            out_mb, evidence = file_mb(self.out), count_evidence(self.out)
            if base_out is None:
                base_out, base_evidence = out_mb, evidence
            rows.append([label, str(rule_count(a.ascribe, rules)), f"{st * 1000:.0f} ms",
                         fmt_s(run.seconds), str(n), f"{size / run.seconds:.3f}",
                         f"{run.seconds / base:.2f}",
                         f"{text / base_text:.2f}" if base_text > 0 else "?",
                         fmt_rss(run.rss_kib),
                         f"{out_mb / base_out:.2f}" if base_out else "?",
                         f"{evidence / base_evidence:.2f}" if base_evidence else "?"])
        table(["set", "rules", "start-up", "time", "runs", "MB/s", "time / 1x",
               "text / 1x", "peak RSS", "output / 1x", "evidence / 1x"], rows, "lrrrrrrrrrr")
        if len(rows) == 3:
            row("time ratio 25x / 1x", rows[2][6], "end to end, start-up included")
            row("text ratio 25x / 1x", rows[2][7], "time less start-up")
        print(f"  a run under {REPEAT_BELOW:.0f} s is repeated {REPEATS} times and its median kept")
        print("  output / 1x: JSON written; evidence / 1x: rule matches in it (\"evidence\" entries)")
        for label, rules in (("5x", a.rules5), ("25x", a.rules25)):
            try:
                with open(os.path.join(rules or "", "GENERATED.txt"), encoding="utf-8") as f:
                    print(textwrap.fill(f"{label}: {f.read().strip()}.", width=78,
                                        initial_indent="  ", subsequent_indent="    "))
            except OSError:
                pass
        print()

    def references(self, jobs_ok):
        a = self.a
        print("reference points")
        if not a.node_modules:
            print(f"  {a.node_note or 'node packages not installed'}: skipped")
            print()
            return
        path, cut = sample(a.corpus, a.ref_mb, self.work)
        size = file_mb(path)
        what = f"the first {size:.1f} MB of the corpus" if cut else "the whole corpus"
        print(f"  on {what} ({records_in(path):,} records);")
        print("  every tool reads the JSON Lines and writes JSON Lines to a file")
        run, n = median_run(lambda: self.annotate(path, a.rules, 1 if jobs_ok else None))
        if run is None:
            return
        ours = size / run.seconds
        rows = [["ascribe", "", str(n), f"{ours:.2f}", f"{count_sentences(self.out) / run.seconds:,.0f}",
                 fmt_rss(run.rss_kib), "1.00"]]
        env = dict(os.environ, NODE_PATH=a.node_modules)
        for label, script, pkgs in (("wink-nlp", "wink.js", ("wink-nlp", "wink-eng-lite-web-model")),
                                    ("compromise", "compromise.js", ("compromise",))):
            versions = ", model ".join(version(a.node_modules, p) for p in pkgs)
            out = os.path.join(self.work, f"out-{label}.jsonl")
            r, n = median_run(lambda: timed(["node", os.path.join(a.here, script), path, out],
                                            self.work, env))
            if r.returncode != 0:
                rows.append([label, versions, "", "failed", "", "", ""])
                print(f"  {label} failed: {r.stderr.strip()[-300:]}")
                continue
            summary = json.loads(r.stdout.strip().splitlines()[-1])
            theirs = size / r.seconds
            rows.append([label, versions, str(n), f"{theirs:.2f}",
                         f"{summary['sentences'] / r.seconds:,.0f}", fmt_rss(r.rss_kib),
                         f"{ours / theirs:.2f}"])
            os.remove(out)
        table(["tool", "version", "runs", "MB/s", "sentences/s", "peak RSS", "ascribe / tool"], rows,
              "llrrrrr")
        print(f"  a run under {REPEAT_BELOW:.0f} s is repeated {REPEATS} times and its median kept")
        print()


def version(node_modules, package):
    try:
        with open(os.path.join(node_modules, package, "package.json"), encoding="utf-8") as f:
            return json.load(f).get("version", "?")
    except OSError:
        return "?"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ascribe", required=True)
    ap.add_argument("--rules", required=True)
    ap.add_argument("--rules5")
    ap.add_argument("--rules25")
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--corpus-note", default="")
    ap.add_argument("--work", required=True)
    ap.add_argument("--here", required=True, help="tests/bench")
    ap.add_argument("--rules-mb", type=float, default=2)
    ap.add_argument("--ref-mb", type=float, default=10)
    ap.add_argument("--threads-mb", type=float, default=50)
    ap.add_argument("--node-modules")
    ap.add_argument("--node-note", default="")
    a = ap.parse_args()

    b = Bench(a)
    b.header()
    jobs_ok = b.jobs_supported()
    main = b.main_run(jobs_ok)
    if main:
        b.threads(jobs_ok, main)
        b.rule_scaling(jobs_ok)
        b.references(jobs_ok)
    for name in os.listdir(a.work):
        if name.startswith(("out", "sample-", "rss.txt", "empty.")):
            os.remove(os.path.join(a.work, name))
    sys.stdout.flush()
    return 1 if b.failed or not main else 0


if __name__ == "__main__":
    sys.exit(main())
