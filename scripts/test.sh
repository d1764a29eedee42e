#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, unit tests, offline end-to-end tests
# on the shipped snapshot, fault tests against a stub server, and integration tests against a
# real Buildbot 4.3 master with real workers running real builds (started here on 127.0.0.1,
# stopped on exit). Installs what it needs: Rust crates via cargo, Buildbot via scripts/setup-venv.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
state=target/harness/test

step() { printf '\n== %s\n' "$*" >&2; }

step "format and lints"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings

step "build"
cargo build --all-targets --quiet  # benches too: they must keep compiling

step "real Buildbot master (scripts/setup-venv.sh, tests/harness/harness.py)"
scripts/setup-venv.sh
trap '"$venv/bin/python" tests/harness/harness.py down "$state" || true' EXIT
"$venv/bin/python" tests/harness/harness.py up "$state" >/dev/null

step "tests (unit, offline end-to-end, faults, live master)"
BBREPORT_TEST_MANIFEST="$PWD/$state/manifest.json" cargo test --lib --bins --tests --no-fail-fast -- --include-ignored
