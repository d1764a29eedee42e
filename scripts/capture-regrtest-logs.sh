#!/usr/bin/env bash
# Capture real regrtest output for the log parser's tests: run the harness's own test step
# (tests/harness/step.py, CPython's real `python -m test`) once per log shape and keep stdout.
# The files in tests/fixtures/logs/ are produced by this script, never edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/fixtures/logs
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for shape in pass:P fail:F flaky:W timeout:T crash:X diskfull:D leak:L; do
    name=${shape%%:*}
    outcome=${shape#*:}
    (cd "$work" && python3 "$OLDPWD/tests/harness/step.py" test "$outcome" 1 "" > "$OLDPWD/$out/$name.txt" 2>&1) || true
    echo "captured $out/$name.txt ($(wc -l < "$out/$name.txt") lines)"
done
