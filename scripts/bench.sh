#!/usr/bin/env bash
# The speed benchmark (README, "Speed"): a real Buildbot 4.3 master with the full CPython fleet
# (1036 builders from tests/fixtures/fleet/cpython-fleet.tsv), at two history sizes, one after
# the other:
#   small   10 finished builds per builder written through Buildbot's own DB API
#           (tests/harness/history.py; 3% of the builders never built, 10% only once), plus the
#           mini fleet's real builds;
#   python  the same on top of a history of buildbot.python.org's size: 2.4 million builds,
#           busy builders with 6,000-16,000, rarely-building ones, written straight into the
#           master's database (tests/harness/big_history.py, ~4 minutes);
# then scripts/bench.py measures cold and warm bbreport runs against the curl floor and a
# one-request-per-builder reference, on loopback and through a proxy adding RTTS ms of round
# trip, and prints the tables, and finally both sizes side by side (README's table).
# RUNS=N sets the runs per figure (default 3), RTTS the round trips (default "0 50"),
# SIZES the histories (default "small python"), BENCH_ONLY the reports (e.g. "-q 3.x").
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
state=target/harness/bench

scripts/setup-venv.sh
cargo build --release --quiet
combine=()
for size in ${SIZES:-small python}; do
    args=(--fleet full --history 10)
    [ "$size" = python ] && args+=(--past python)
    trap '"$venv/bin/python" tests/harness/harness.py down "$state-$size" || true' EXIT
    server=$("$venv/bin/python" tests/harness/harness.py up "$state-$size" "${args[@]}")
    echo "## history: $size"
    # shellcheck disable=SC2086
    BENCH_OUT="$state-$size.json" "$venv/bin/python" scripts/bench.py "$server" \
        ./target/release/bbreport "${RUNS:-3}" ${RTTS:-0 50}
    "$venv/bin/python" tests/harness/harness.py down "$state-$size"
    rm -rf "$state-$size"  # the python-sized database is ~650 MB
    combine+=("$size=$state-$size.json")
done
echo "## side by side"
"$venv/bin/python" scripts/bench.py --combine "${combine[@]}"
