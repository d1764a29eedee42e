#!/usr/bin/env bash
# Measure what `bbreport -q 3.x` and `bbreport -q` cost against a real Buildbot 4.3 master
# configured with the full CPython fleet (1036 builders from shared/data/cpython-fleet.tsv;
# the mini fleet's ~60 builders have real builds, the rest have none).
#
# For each command: requests and bytes (from --stats) and wall time (median of RUNS runs), and
# the same data fetched the way release-tools and the release dashboard do it, one request per
# builder (`builders/{id}/builds?order=-number&limit=4`, 4 in parallel with curl), as the
# reference. Prints a markdown table; ratios are reference time / bbreport time.
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
        local t0; t0=$(now_ms); "$@" >/dev/null 2>&1; echo $(( $(now_ms) - t0 ))
    done | median
}

per_builder_ids() { # builder ids of the branch (or all) among active builders
    "$bin" --server "$server" --format json ${1:+"$1"} | "$venv/bin/python" -c '
import json, sys
for b in json.load(sys.stdin)["branches"]:
    for x in b["builders"]: print(x["builderid"])'
}

reference() { # one request per builder, 4 in flight, like the dashboard and release-tools
    xargs -P4 -I{} curl -s -o /dev/null -H 'Accept: application/json' --compressed \
        "${server}api/v2/builders/{}/builds?order=-number&limit=4"
}

echo "| command | builders | bbreport requests | bbreport bytes (wire) | bbreport wall ms | per-builder requests | per-builder wall ms | speed-up |"
echo "|---|---|---|---|---|---|---|---|"
for branch in 3.x ""; do
    label="-q ${branch:-(all branches)}"
    stats=$("$bin" --server "$server" -q ${branch:+"$branch"} --stats 2>&1 >/dev/null | tail -1)
    requests=$(echo "$stats" | awk '{print $2}')
    bytes=$(echo "$stats" | sed -E 's/.*, ([0-9.]+ [KMG]?i?B) received.*/\1/')
    ids=$(per_builder_ids "$branch")
    n=$(echo "$ids" | wc -l)
    ours=$(time_cmd "$bin" --server "$server" -q ${branch:+"$branch"})
    ref=$(for _ in $(seq "$runs"); do t0=$(now_ms); echo "$ids" | reference; echo $(( $(now_ms) - t0 )); done | median)
    ratio=$(awk -v a="$ref" -v b="$ours" 'BEGIN {printf "%.1fx", a / (b > 0 ? b : 1)}')
    echo "| bbreport $label | $n | $requests | $bytes | $ours | $n (+2) | $ref | $ratio |"
done
