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
server=$("$venv/bin/python" tests/harness/harness.py up "$state")
rm -rf tests/fixtures/snapshot
./target/release/bbreport --server "$server" snapshot tests/fixtures/snapshot --builds 10
# The harness's account of what it ran: the oracle the offline tests check against.
cp "$state/manifest.json" tests/fixtures/snapshot-manifest.json
