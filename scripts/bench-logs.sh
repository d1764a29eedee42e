#!/usr/bin/env bash
# The benchmark of reading long test logs (README, "Long logs without a final summary"): a real
# Buildbot 4.3 master with the harness's `cases` fleet, whose "AMD64 Killed Huge Run 3.13" build
# prints a 10 MB regrtest log (150,000 lines, three failures far apart in its middle) and is
# killed by Buildbot's no-output timeout, so the log has no final summary. scripts/bench_logs.py
# measures `bbreport build` on it, the default reading (head, tail, and the search of the middle)
# against `--full-log` (every line) in the same run. RUNS=N sets the runs per figure (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
state=target/harness/bench-logs

scripts/setup-venv.sh
cargo build --release --quiet
trap '"$venv/bin/python" tests/harness/harness.py down "$state" || true' EXIT
server=$("$venv/bin/python" tests/harness/harness.py up "$state" --fleet cases)
"$venv/bin/python" scripts/bench_logs.py "$server" ./target/release/bbreport "${RUNS:-5}"
