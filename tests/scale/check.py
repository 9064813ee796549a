#!/usr/bin/env python3
"""Checks ascribe's JSON Lines output against the filter contract of
docs/scale.md: one output line per input record, in input order, each
carrying its record's id; error records exactly for the bad records of
make_corpus.py, with the id each must carry.  Prints "ok - ..." and
"not ok - ..." lines; exits 1 when any check failed.

usage: check.py INPUT OUTPUT LABEL
"""
import json
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from make_corpus import BAD  # noqa: E402


def is_blank(line):
    """ascribe's rule: nothing but spaces and tabs before the line end."""
    return line.rstrip(b"\r\n").strip(b" \t") == b""


def expected_id(line):
    """The id the output record must carry, or None, as ascribe reads it."""
    try:
        record = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    value = record.get("id")
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def main():
    source, result, label = sys.argv[1], sys.argv[2], sys.argv[3]
    failures = 0

    def report(passed, message):
        nonlocal failures
        print(("ok - " if passed else "not ok - ") + f"{label}: {message}")
        failures += not passed

    with open(source, "rb") as f:
        lines = f.read().split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    records = [line for line in lines if not is_blank(line)]
    with open(result, "rb") as f:
        data = f.read()
    outputs = data.split(b"\n")

    report(data.endswith(b"\n"), "output ends with a line end")
    outputs = outputs[:-1] if outputs and outputs[-1] == b"" else outputs
    report(len(outputs) == len(records),
           f"one output line per record ({len(records)} records, "
           f"{len(lines) - len(records)} blank lines skipped, {len(outputs)} output lines)")

    parsed, unparsable = [], 0
    for line in outputs:
        try:
            parsed.append(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, ValueError):
            parsed.append(None)
            unparsable += 1
    report(unparsable == 0, f"every output line is one JSON object ({unparsable} are not)")

    bad_lines = {line.rstrip(b"\n"): want for line, want in BAD}
    misplaced = []
    errors = {}
    for n, (record, out) in enumerate(zip(records, parsed)):
        if out is None:
            continue
        got = out.get("document", {}).get("id")
        is_error = "error" in out
        want_error = record in bad_lines
        if got != expected_id(record) or is_error != want_error:
            misplaced.append(f"record {n + 1}: id {got!r}, error {is_error}")
        if is_error:
            errors[record] = got
    report(not misplaced,
           "output record n is input record n: same id, error only for a bad record"
           + (f" (first mismatch: {misplaced[0]}; {len(misplaced)} in all)" if misplaced else ""))

    report(len(errors) == len(bad_lines),
           f"{len(bad_lines)} bad records give {len(errors)} error records")
    with_id = [(line, want) for line, want in bad_lines.items() if want is not None]
    report(all(errors.get(line) == want for line, want in with_id),
           "error records carry their record's id: "
           + ", ".join(repr(errors.get(line)) for line, _ in with_id))
    without = [line for line, want in bad_lines.items() if want is None]
    report(all(line in errors and errors[line] is None for line in without),
           f"the {len(without)} unparsable records give error records with id null, in place")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
