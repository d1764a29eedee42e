#!/usr/bin/env bash
# The speed benchmark (README, "Speed"): a real Buildbot 4.3 master with the full CPython fleet
# (1036 builders from tests/fixtures/fleet/cpython-fleet.tsv), each with 10 finished builds written through
# Buildbot's own DB API (tests/harness/history.py) plus the mini fleet's real builds; then
# scripts/bench.py measures cold and warm bbreport runs against the curl floor and a
# one-request-per-builder reference, on loopback and through a proxy adding 50 and 150 ms of
# round trip, and prints the tables. RUNS=N sets the runs per figure (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
state=target/harness/bench

scripts/setup-venv.sh
cargo build --release --quiet
trap '"$venv/bin/python" tests/harness/harness.py down "$state" || true' EXIT
server=$("$venv/bin/python" tests/harness/harness.py up "$state" --fleet full --history 10)
"$venv/bin/python" scripts/bench.py "$server" ./target/release/bbreport "${RUNS:-5}"
