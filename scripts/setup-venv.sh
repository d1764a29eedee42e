#!/usr/bin/env bash
# Create (or reuse) the Python venv with the real Buildbot master and worker for the tests.
# The venv lives in .venv (or $BBREPORT_VENV) and is reused while it has the pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
req=tests/harness/requirements.txt
stamp="$venv/.bbreport-requirements"
if [ -x "$venv/bin/buildbot" ] && [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
    exit 0
fi
echo "setup-venv: installing $(grep -v '^#' "$req" | tr '\n' ' ')into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
