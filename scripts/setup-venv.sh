#!/usr/bin/env bash
# Set up what the tests run on: the Python venv with the real Buildbot master and worker, and
# Debian's debug CPython for the harness's refleak builds.
# The venv lives in .venv (or $BBREPORT_VENV) and is reused while it has the pinned versions.
# BBREPORT_BUILDBOT=3.11.9 (or 3.0.3, 2.10.5) makes an older Buildbot's venv instead, in
# .venv-bb<version>, from tests/harness/requirements-<version>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${BBREPORT_BUILDBOT:-}
if [ -n "$version" ]; then
    venv=${BBREPORT_VENV:-.venv-bb$version}
    req=tests/harness/requirements-$version.txt
    [ -f "$req" ] || { echo "setup-venv: no $req (known: $(ls tests/harness/requirements-*.txt | sed 's/.*requirements-//; s/\.txt//' | tr '\n' ' '))" >&2; exit 2; }
else
    venv=${BBREPORT_VENV:-.venv}
    req=tests/harness/requirements.txt
fi

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
stamp="$venv/.bbreport-requirements"
if [ -x "$venv/bin/buildbot" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
    exit 0
fi
echo "setup-venv: installing $(grep -v '^#' "$req" | tr '\n' ' ')into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
