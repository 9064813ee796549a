#!/usr/bin/env python3
"""Validates ascribe output against the JSON Schemas of schema/.

    validate.py [--strict] [--schema annotate|diff] FILE...

Each FILE holds one JSON value, JSON Lines, or several pretty-printed
values one after another.  Without --schema, a value with "ascribe_diff" is
checked against schema/diff.schema.json and any other against
schema/annotate.schema.json.  --strict also rejects members the schema
does not name: the published schema lets later 1.x versions add members,
the tests want every member this build writes to be in it.

Prints one line per file ("ok - ..." or the first errors) and exits 1 when
any value is invalid, 2 when jsonschema is missing.
"""
import copy
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("validate.py: the jsonschema module is missing: "
                     "apt-get install python3-jsonschema\n")
    sys.exit(2)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Keywords whose subschemas add conditions to an object described
# elsewhere: closing them would forbid that object's other members.
CONDITIONAL = {"if", "then", "else", "not"}


def close(node):
    """Adds additionalProperties: false to every object schema that lists
    properties and says nothing about others."""
    if isinstance(node, dict):
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for key, value in node.items():
            if key in CONDITIONAL:
                continue
            if key == "properties" and isinstance(value, dict):
                for sub in value.values():
                    close(sub)
            else:
                close(value)
    elif isinstance(node, list):
        for item in node:
            close(item)


def load_schema(name, strict):
    with open(os.path.join(ROOT, "schema", name + ".schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    if strict:
        schema = copy.deepcopy(schema)
        close(schema)
    return jsonschema.Draft202012Validator(schema)


def values(text):
    dec = json.JSONDecoder()
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return
        value, i = dec.raw_decode(text, i)
        yield value


def main(argv):
    strict = False
    forced = None
    files = []
    args = iter(argv)
    for a in args:
        if a == "--strict":
            strict = True
        elif a == "--schema":
            forced = next(args, None)
            if forced not in ("annotate", "diff"):
                sys.stderr.write("validate.py: --schema annotate|diff\n")
                return 2
        else:
            files.append(a)
    validators = {name: load_schema(name, strict) for name in ("annotate", "diff")}
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        count = 0
        errors = []
        try:
            for value in values(text):
                count += 1
                name = forced or ("diff" if isinstance(value, dict) and "ascribe_diff" in value
                                  else "annotate")
                for e in validators[name].iter_errors(value):
                    where = "/".join(str(p) for p in e.absolute_path)
                    errors.append("value %d (%s): /%s: %s" % (count, name, where, e.message[:300]))
                    if len(errors) >= 5:
                        break
                if len(errors) >= 5:
                    break
        except json.JSONDecodeError as e:
            errors.append("not JSON: %s" % e)
        if count == 0 and not errors:
            errors.append("no JSON value")
        if errors:
            bad += 1
            print("not ok - %s does not follow the schema" % path)
            for e in errors:
                print("#   " + e)
        else:
            print("ok - %s follows the schema (%d value%s)" % (path, count, "" if count == 1 else "s"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
