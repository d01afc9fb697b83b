#!/bin/sh
# Render the eval HTML report in headless Chromium and save a PNG, to check it reads well
# without JavaScript or network. Usage: scripts/screenshot.sh [CORPUS] [OUT_DIR] [extra eval options]
# Needs chromium (apt-get install -y chromium). Exit status: 0 ok, 1 no chromium, else failure.
set -eu
ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
CORPUS=${1:-corpora/eval-tiny}
OUT=${2:-out}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
PY=${PYTHON:-$ROOT/.venv/bin/python}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$CHROMIUM" ]; then
    echo "screenshot: chromium not found (apt-get install -y chromium)" >&2
    exit 1
fi
cd "$ROOT"
mkdir -p "$OUT"
HTML=$(cd "$OUT" && pwd)/eval.html
PNG=$(cd "$OUT" && pwd)/eval.png
if "$ROOT/.venv/bin/transqa" eval --help > /dev/null 2>&1; then
    "$ROOT/.venv/bin/transqa" eval "$CORPUS" --html "$HTML" "$@" > "$OUT/eval.txt"
else  # before `eval` is registered in the main CLI group, run the command on its own
    "$PY" -c 'import sys; from transqa.cli_eval import eval_command; eval_command(sys.argv[1:])' \
        "$CORPUS" --html "$HTML" "$@" > "$OUT/eval.txt"
fi
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$PROFILE" --screenshot="$PNG" --window-size=1280,2000 \
    "file://$HTML" > "$OUT/chromium.log" 2>&1
test -s "$PNG"
echo "$PNG"
