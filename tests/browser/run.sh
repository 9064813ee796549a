#!/bin/sh
# make test-browser: makes review pages and a diff page with the ascribe
# binary given as $1 and checks them in Debian's Chromium (/usr/bin/chromium,
# or $CHROMIUM) with tests/browser/review.js.  playwright-core, pinned in
# package-lock.json, is installed with npm ci into build/browser/node_modules
# (again only when the lock file changes).  With --screenshot FILE, a
# screenshot of the sample page is written to FILE (docs/review-page.png).
set -eu
bin=${1:?usage: run.sh BINARY [--screenshot FILE]}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
shot=
if [ "${2:-}" = "--screenshot" ]; then
	shot=${3:?--screenshot FILE}
	case $shot in /*) ;; *) shot=$(pwd)/$shot ;; esac
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/browser
work=$root/build/browser
rules=$root/rules
mkdir -p "$work"

if [ ! -d "$work/node_modules/playwright-core" ] || ! cmp -s "$here/package-lock.json" "$work/package-lock.json"; then
	echo "browser: installing playwright-core (npm ci) into build/browser ..." >&2
	cp "$here/package.json" "$here/package-lock.json" "$work/"
	if ! (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >&2); then
		rm -f "$work/package-lock.json"
		echo "not ok - npm ci of playwright-core failed"
		echo "browser: 0 passed, 1 failed"
		exit 1
	fi
fi

pages=$work/pages
rm -rf "$pages"
mkdir -p "$pages"
A="$bin annotate --quiet --rules $rules"
page() { # NAME ARTICLE (relative to the source tree, as the page shows it)
	(cd "$root" && $A "$2" >"$pages/$1.json" && $A --format html -o "$pages/$1.html" "$2")
}
page sample corpus/articles/n01-ferry-strike.txt
page scraped corpus/articles/n04-scraped-flood.txt
page xss "$here/xss-article.txt"
# over 5,000 sentences: the corpus eight times over
for i in 1 2 3 4 5 6 7 8; do
	for f in "$root"/corpus/articles/*.txt; do cat "$f"; echo; done
done >"$pages/large.txt"
page large "$pages/large.txt"
"$bin" diff --quiet --rules "$rules" --annotate --format json "$root"/corpus/diff/teachers-pay/*.txt >"$pages/diff.json"
"$bin" diff --quiet --rules "$rules" --annotate --format html -o "$pages/diff.html" "$root"/corpus/diff/teachers-pay/*.txt

cd "$work"
NODE_PATH=$work/node_modules exec node "$here/review.js" "$pages" $shot
