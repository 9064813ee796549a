#!/usr/bin/env python3
"""Annotates a JSON Lines file with ascribe on a Dask cluster, in input order.

The file is read as a bag of lines in partitions of about --blocksize bytes
(cut at line ends); every partition goes through one `ascribe annotate
--input jsonl -` process on a worker; the partitions' outputs are written in
partition order, so OUTPUT is byte for byte what one serial run would give.
Without --scheduler it starts a LocalCluster of --workers processes and
stops it at the end.  docs/scale.md explains the choices.

usage: dask_annotate.py [--ascribe BIN] [--rules DIR] [--blocksize SIZE]
                        [--workers N] [--scheduler ADDRESS] INPUT OUTPUT
Prints the number of partitions on standard output.
"""
import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile


def is_blank(line):
    """ascribe skips a line of nothing but spaces and tabs before its end."""
    return line.rstrip(b"\r\n").strip(b" \t") == b""


def is_error_record(line):
    """True for an output line that is an error record."""
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and "error" in record


def annotate_partition(lines, ascribe, rules):
    """Runs one ascribe over the records of one partition.  `lines` are str,
    each ending in "\\n" (but perhaps the file's last).  Returns ascribe's
    output lines as bytes, each ending in "\\n", one per non-blank line, in
    order; raises when the run failed or lost a record, and for status 1
    unless every record of the partition was bad."""
    data = "".join(lines).encode("utf-8", "surrogateescape")
    records = sum(1 for line in data.split(b"\n") if not is_blank(line))
    if records == 0:
        return []
    command = [ascribe, "annotate", "--quiet", "--input", "jsonl", "-"]
    if rules:
        command[2:2] = ["--rules", rules]
    run = subprocess.run(command, input=data, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    # 0: the run completed (bad records became error records).  1: not one
    # record could be annotated, which is fine for a partition of nothing
    # but bad records and checked below, or the input could not be read.
    # Anything else: usage, rules, output, or a crash.
    if run.returncode not in (0, 1):
        raise RuntimeError(f"ascribe exited with {run.returncode}: "
                           + run.stderr.decode("utf-8", "replace")[-2000:])
    # split at b"\n" only: a record's JSON may hold U+2028 raw, which
    # str.splitlines() would take for a line end
    out = run.stdout.split(b"\n")
    if out[-1] != b"":
        raise RuntimeError("ascribe output does not end with a line end")
    out.pop()
    if len(out) != records:
        raise RuntimeError(f"{records} records in, {len(out)} out: "
                           + run.stderr.decode("utf-8", "replace")[-2000:])
    if run.returncode == 1 and not all(is_error_record(line) for line in out):
        raise RuntimeError("ascribe exited with 1 on a partition with good records: "
                           + run.stderr.decode("utf-8", "replace")[-2000:])
    return [line + b"\n" for line in out]


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--ascribe", default=shutil.which("ascribe") or "ascribe",
                        help="path of the binary on the workers (default: ascribe on PATH)")
    parser.add_argument("--rules", help="rule directory on the workers "
                        "(default: the workers' $ASCRIBE_RULES, then the built-in default)")
    parser.add_argument("--blocksize", default="64MiB",
                        help="bytes of input per partition, e.g. 256KiB or 64MiB")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes of the local cluster")
    parser.add_argument("--scheduler", help="address of a running scheduler, "
                        "e.g. tcp://10.0.0.5:8786, instead of a local cluster")
    return parser.parse_args()


def write_in_order(client, bag, path):
    """Computes all partitions at once, writes them in partition order
    through a temporary file and a rename."""
    futures = client.compute(bag.to_delayed())
    partial = f"{path}.tmp{os.getpid()}"
    try:
        with open(partial, "wb") as out:
            for future in futures:
                out.writelines(future.result())
                future.release()
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def main():
    args = options()
    import dask.bag
    from dask.distributed import Client, LocalCluster

    # linedelimiter "\n": split where ascribe splits (not at a lone "\r");
    # surrogateescape: bytes that are not UTF-8 reach ascribe unchanged
    lines = dask.bag.read_text(args.input, blocksize=args.blocksize, encoding="utf-8",
                               errors="surrogateescape", linedelimiter="\n")
    annotated = lines.map_partitions(annotate_partition, args.ascribe, args.rules)

    if args.scheduler:
        with Client(args.scheduler) as client:
            write_in_order(client, annotated, args.output)
    else:
        scratch = tempfile.mkdtemp(prefix="ascribe-dask-")
        try:
            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                              dashboard_address=None, silence_logs=logging.ERROR,
                              local_directory=scratch) as cluster, \
                    Client(cluster) as client:
                write_in_order(client, annotated, args.output)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"partitions {annotated.npartitions}")


if __name__ == "__main__":
    sys.exit(main())
