#!/bin/sh
# Runs validate.py with a python3 that has the jsonschema module: the one
# on PATH, else Debian's (python3-jsonschema, scripts/install-deps.sh).
here=$(dirname "$0")
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import jsonschema' 2>/dev/null; then
		exec "$py" "$here/validate.py" "$@"
	fi
done
echo "validate.sh: no python3 with the jsonschema module: apt-get install python3-jsonschema" >&2
exit 2
