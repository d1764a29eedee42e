#!/usr/bin/env bash
# Re-record tests/fixtures/snapshot from a fresh harness master, with bbreport itself.
# The fixture is never edited by hand; rerun this after changing the harness scenarios.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
state=target/harness/record
scripts/setup-venv.sh
cargo build --release --quiet
trap '"$venv/bin/python" tests/harness/harness.py down "$state" || true' EXIT
# A scrubbed environment: Buildbot's stdio logs start with the worker's environment, and the
# snapshot records those logs (triage.json); nothing of the recording machine's goes in them.
server=$(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/nonexistent LANG=C.UTF-8 \
    "$venv/bin/python" tests/harness/harness.py up "$state")
rm -rf tests/fixtures/snapshot
./target/release/bbreport --server "$server" snapshot tests/fixtures/snapshot --builds 10
# The harness's account of what it ran: the oracle the offline tests check against.
cp "$state/manifest.json" tests/fixtures/snapshot-manifest.json
