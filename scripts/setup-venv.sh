#!/usr/bin/env bash
# Set up what the tests run on: the Python venv with the real Buildbot master and worker, and
# Debian's debug CPython for the harness's refleak builds.
# The venv lives in .venv (or $BBREPORT_VENV) and is reused while it has the pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}

# From Debian: a debug CPython for the harness's refleak builds (regrtest -R needs
# sys.gettotalrefcount), python3.11-dbg and its test suite; and zsh, to check that the shell
# completions load (tests/it/generated.rs).
if [ ! -x /usr/bin/python3.11-dbg ] || [ ! -d /usr/lib/python3.11/test/libregrtest ] \
    || ! command -v zsh >/dev/null; then
    echo "setup-venv: installing python3.11-dbg, libpython3.11-testsuite and zsh (apt)" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3.11-dbg \
        libpython3.11-testsuite zsh >/dev/null
fi
req=tests/harness/requirements.txt
stamp="$venv/.bbreport-requirements"
if [ -x "$venv/bin/buildbot" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
    exit 0
fi
echo "setup-venv: installing $(grep -v '^#' "$req" | tr '\n' ' ')into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
