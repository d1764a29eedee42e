#!/usr/bin/env bash
# Measure what `bbreport -q 3.x` and `bbreport -q` cost against a real Buildbot 4.3 master
# configured with the full CPython fleet (1036 builders from shared/data/cpython-fleet.tsv;
# the mini fleet's ~60 builders have real builds, the rest have none).
#
# For each command: requests and bytes (from --stats) and wall time (median of RUNS runs), and
# the same data fetched the way release-tools and the release dashboard do it, one request per
# builder with curl, 4 in parallel, as the reference: `builders/{id}/builds?order=-number&limit=4`
# for the summary, the dashboard's own `complete__eq=true&order=-complete_at&limit=200` for
# release. Prints a markdown table; speed-up = reference time / bbreport time.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BBREPORT_VENV:-.venv}
state=target/harness/bench
runs=${RUNS:-5}

scripts/setup-venv.sh
cargo build --release --quiet
trap '"$venv/bin/python" tests/harness/harness.py down "$state" || true' EXIT
server=$("$venv/bin/python" tests/harness/harness.py up "$state" --fleet full)
bin=./target/release/bbreport

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now_ms() { date +%s%3N; }

time_cmd() { # median wall ms of "$@" over $runs runs
    for _ in $(seq "$runs"); do
        # `release` exits 10-12 by design; only the time matters here.
        local t0; t0=$(now_ms); "$@" >/dev/null 2>&1 || true; echo $(( $(now_ms) - t0 ))
    done | median
}

per_builder_ids() { # builder ids a report covers: the summary's ("" = all branches) or release's
    # `release` exits 10-12 by design; its JSON is what matters here.
    { "$bin" --server "$server" --format json "$@" || true; } | "$venv/bin/python" -c '
import json, sys
for b in json.load(sys.stdin)["branches"]:
    for x in b["builders"]: print(x["builderid"])'
}

reference() { # one request per builder, 4 in flight, like the dashboard and release-tools
    local query=$1
    xargs -P4 -I{} curl -s -o /dev/null -H 'Accept: application/json' --compressed \
        "${server}api/v2/builders/{}/builds?${query}"
}

row() { # label, reference query, bbreport args...
    local label=$1 query=$2; shift 2
    local stats requests bytes ids n ours ref ratio
    stats=$({ "$bin" --server "$server" --stats "$@" 2>&1 >/dev/null || true; } | tail -1)
    requests=$(echo "$stats" | awk '{print $2}')
    bytes=$(echo "$stats" | sed -E 's/.*, ([0-9.]+ [KMG]?i?B) received.*/\1/')
    ids=$(per_builder_ids "$@")
    n=$(echo "$ids" | wc -l)
    ours=$(time_cmd "$bin" --server "$server" "$@")
    ref=$(for _ in $(seq "$runs"); do t0=$(now_ms); echo "$ids" | reference "$query"; echo $(( $(now_ms) - t0 )); done | median)
    ratio=$(awk -v a="$ref" -v b="$ours" 'BEGIN {printf "%.1fx", a / (b > 0 ? b : 1)}')
    echo "| bbreport $label | $n | $requests | $bytes | $ours | $n (+2) | $ref | $ratio |"
}

echo "| command | builders | bbreport requests | bbreport bytes (wire) | bbreport wall ms | per-builder requests | per-builder wall ms | speed-up |"
echo "|---|---|---|---|---|---|---|---|"
row "-q 3.x" "order=-number&limit=4" -q 3.x
row "-q (all branches)" "order=-number&limit=4" -q
# The release dashboard's own query, per builder (release_dashboard.py): 200 complete builds.
row "release (all branches)" "complete__eq=true&order=-complete_at&limit=200" release
