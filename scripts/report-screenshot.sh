#!/usr/bin/env bash
# Screenshot of a vitex HTML report in headless Chromium (Debian's `chromium` package).
#
#   scripts/report-screenshot.sh REPORT_DIR [OUT.png] [WIDTH,HEIGHT]
#
# REPORT_DIR is the folder holding index.html (e.g. vitex-demo-out/report). OUT.png defaults to
# REPORT_DIR-screenshot.png beside the folder (not inside it, so the report stays as written);
# the window defaults to 1280,900. Prints the screenshot's path and how long Chromium took.
# Install the browser with: apt-get update && apt-get install -y chromium
# Set CHROMIUM=/path/to/chromium to use another binary.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
  echo "usage: $0 REPORT_DIR [OUT.png] [WIDTH,HEIGHT]" >&2
  exit 2
fi
dir=$(cd "$1" && pwd)
index="$dir/index.html"
if [[ ! -f "$index" ]]; then
  echo "no index.html in $dir (write the report first: vitex run ... --report)" >&2
  exit 2
fi
out=${2:-"$dir-screenshot.png"}
size=${3:-1280,900}
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z "$browser" ]]; then
  echo "chromium not found; install it with: apt-get update && apt-get install -y chromium" >&2
  exit 3
fi

# A throwaway profile: no state from earlier runs, nothing left behind.
profile=$(mktemp -d "${TMPDIR:-/tmp}/vitex-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
rm -f "$out"

# file:// URL with the characters that need it percent-encoded (the path is otherwise plain).
url="file://$(printf '%s' "$index" | sed -e 's/%/%25/g' -e 's/ /%20/g' -e 's/#/%23/g' -e 's/?/%3F/g')"

start=$(date +%s%N)
# No network, no sync, no updates: the report must render from local files alone.
if ! timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --no-first-run --disable-component-update --disable-sync --disable-extensions \
    --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$out" --window-size="$size" "$url" >"$profile/chromium.log" 2>&1; then
  echo "chromium failed:" >&2
  cat "$profile/chromium.log" >&2
  exit 1
fi
end=$(date +%s%N)
if [[ ! -s "$out" ]]; then
  echo "chromium wrote no screenshot:" >&2
  cat "$profile/chromium.log" >&2
  exit 1
fi
printf 'screenshot: %s (chromium took %d ms)\n' "$out" $(( (end - start) / 1000000 ))
