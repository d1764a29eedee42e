#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, lints, unit tests, offline end-to-end tests
# on the shipped snapshot, fault tests against a stub server, and integration tests against a
# real Buildbot 4.3 master with real workers running real builds (started here on 127.0.0.1,
# stopped on exit). Installs what it needs: Rust crates via cargo, Buildbot via scripts/setup-venv.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
state=target/harness/test
cache_state=target/harness/cache-test
auth_state=target/harness/auth-test
cases_state=target/harness/cases-test
states_state=target/harness/states-test
push_state=target/harness/push-test
old_state=target/harness/old-master-test
health_state=target/harness/health-test

step() { printf '\n== %s\n' "$*" >&2; }

step "format, lints and docs"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --document-private-items --quiet

step "dependency policy (cargo deny: licenses, bans, sources; deny.toml)"
if ! cargo deny --version 2>/dev/null | grep -q '^cargo-deny 0.20'; then
    cargo install --locked --quiet cargo-deny --version 0.20.2
fi
cargo deny --log-level error check licenses bans sources

step "build"
cargo build --all-targets --quiet  # benches too: they must keep compiling

step "real Buildbot master (scripts/setup-venv.sh, tests/harness/harness.py)"
scripts/setup-venv.sh
BBREPORT_BUILDBOT=3.0.3 scripts/setup-venv.sh
trap 'for s in "$state" "$cache_state" "$auth_state" "$cases_state" "$states_state" "$push_state" "$old_state" "$health_state"; do "$venv/bin/python" tests/harness/harness.py down "$s" || true; done' EXIT
# Eight masters, started side by side: the mini fleet every live test reads (never changed by a
# test), the cache fleet, where tests/it/live_cache.rs posts commits and watches builds, the
# auth fleet, which requires login (tests/it/live_auth.rs), the cases fleet, whose builds
# print real regrtest logs (tests/it/live_regrtest_cases.rs), and the states fleet, killed
# mid-build, restarted as another master, a worker paused (tests/it/live_fleet_states.rs; its
# ~4 minutes, mostly waiting for the dead master's row to fall silent, overlap the others).
"$venv/bin/python" tests/harness/harness.py up "$state" >/dev/null &
main_up=$!
"$venv/bin/python" tests/harness/harness.py up "$cache_state" --fleet cache >/dev/null &
cache_up=$!
"$venv/bin/python" tests/harness/harness.py up "$auth_state" --fleet auth >/dev/null &
auth_up=$!
"$venv/bin/python" tests/harness/harness.py up "$cases_state" --fleet cases >/dev/null &
cases_up=$!
"$venv/bin/python" tests/harness/harness.py up "$states_state" --fleet states >/dev/null &
states_up=$!
# The push fleet: pushes and a pull request for `commit` and `pr` (tests/it/live_commit_pr.rs;
# six builders, four short rounds, overlapping the states fleet's wait).
"$venv/bin/python" tests/harness/harness.py up "$push_state" --fleet push >/dev/null &
push_up=$!
# A small one: the cache fleet's round 1 on Buildbot 3.0.3 (tests/it/live_old_master.rs): no
# /config, and `changes` filtered in Python (before 3.9). Its venv takes ~30 s once, `up` ~15 s.
"$venv/bin/python" tests/harness/harness.py up "$old_state" --fleet cache --buildbot 3.0.3 >/dev/null &
old_up=$!
# The health fleet: four rounds of flaky, refleak-only, persistent and infrastructure failures
# for `tests` and `test NAME` (tests/it/live_test_health.rs); eight builders side by side, its
# rounds overlap the states fleet's wait.
"$venv/bin/python" tests/harness/harness.py up "$health_state" --fleet health >/dev/null &
health_up=$!
wait "$main_up"
wait "$cache_up"
wait "$auth_up"
wait "$cases_up"
wait "$states_up"
wait "$push_up"
wait "$old_up"
wait "$health_up"

step "tests (unit, offline end-to-end, faults, live master)"
BBREPORT_TEST_MANIFEST="$PWD/$state/manifest.json" \
BBREPORT_TEST_CACHE_MANIFEST="$PWD/$cache_state/manifest.json" \
BBREPORT_TEST_AUTH_MANIFEST="$PWD/$auth_state/manifest.json" \
BBREPORT_TEST_CASES_MANIFEST="$PWD/$cases_state/manifest.json" \
BBREPORT_TEST_STATES_MANIFEST="$PWD/$states_state/manifest.json" \
BBREPORT_TEST_PUSH_MANIFEST="$PWD/$push_state/manifest.json" \
BBREPORT_TEST_OLD_MANIFEST="$PWD/$old_state/manifest.json" \
BBREPORT_TEST_HEALTH_MANIFEST="$PWD/$health_state/manifest.json" \
    cargo test --lib --bins --tests --no-fail-fast -- --include-ignored
