#!/usr/bin/env bash
# Render the HTML reports of the shipped snapshot in Debian's headless Chromium and write a
# screenshot of each to target/html/, to look at how mail clients will show them (issue #7's
# check; not part of the test suite, Chromium is a big install). Installs chromium with apt.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi
cargo build --quiet
out=target/html
mkdir -p "$out"
render() { # name, bbreport args...
    local name=$1; shift
    ./target/debug/bbreport --snapshot tests/fixtures/snapshot --format html "$@" > "$out/$name.html" || true
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,900 \
        --screenshot="$PWD/$out/$name.png" "file://$PWD/$out/$name.html" >/dev/null 2>&1
    echo "$out/$name.png"
}
render summary -q 3.x
render release release
render waterfall waterfall 3.x
render console console 3.x
