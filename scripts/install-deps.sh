#!/bin/sh
# Installs the Debian packages ascribe needs to build and test, if missing.
# Runs apt-get directly as root, through sudo otherwise.
# parallel and python3-distributed (Dask) are for `make scale-test`;
# python3-jsonschema validates outputs against schema/ in `make test`;
# chromium, node and npm run `make test-browser` (playwright-core from npm);
# Node.js is taken from Debian only when no node or npm is on PATH already;
# clang (libFuzzer) and clang-tidy are for `make fuzz` and `make tidy`.
set -eu

PACKAGES="build-essential pkg-config libyaml-dev libpcre2-dev libjansson-dev
libcmocka-dev libutf8proc-dev libxxhash-dev libstemmer-dev valgrind cppcheck python3 time
parallel python3-dask python3-distributed python3-jsonschema
chromium clang clang-tidy"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -z "$missing" ]; then
	echo "install-deps: everything is installed"
	exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: missing:$missing" >&2
	echo "install-deps: run as root: apt-get install -y$missing" >&2
	exit 1
fi

echo "install-deps: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
