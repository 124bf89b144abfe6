#!/usr/bin/env bash
# Renders the demo workspace's HTML acceptance report (Chinese and English) with headless
# Chromium to PNG screenshots and A4 PDFs, and checks the PDFs have pages. Installs nothing:
# without /usr/bin/chromium it says so and exits 0.
#
# Usage: tests/html_report_chromium.sh [OUT_DIR]   (ANBAO_BIN: the anbao binary to use)
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=/usr/bin/chromium
if [[ ! -x $CHROMIUM ]]; then
  echo "skipped: chromium not installed ($CHROMIUM missing)"
  exit 0
fi

out=${1:-$(mktemp -d "${TMPDIR:-/tmp}/anbao-html-report.XXXXXX")}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [[ -n ${ANBAO_BIN:-} ]]; then
  anbao=("$ANBAO_BIN")
else
  anbao=(cargo run --quiet --)
fi

# A private profile per run, removed afterwards, so nothing leaks between runs or users.
profile=$(mktemp -d "${TMPDIR:-/tmp}/anbao-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT

chromium() {
  # Flags keep the run offline and quiet: no sync, no component updates, no first-run pages.
  # Chromium writes noise to stderr on machines without a display bus; the output files are
  # what gets checked.
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync \
    --no-first-run --no-default-browser-check --hide-scrollbars \
    --user-data-dir="$profile" "$@" 2>>"$out/chromium.log"
}

pages() {
  if command -v pdfinfo >/dev/null; then
    pdfinfo "$1" | awk '/^Pages:/ { print $2 }'
  else
    # Without poppler: a PDF header and a plausible size stand in for a page count.
    if [[ $(head -c 4 "$1") == "%PDF" && $(stat -c %s "$1") -gt 10240 ]]; then echo 1; else echo 0; fi
  fi
}

status=0
for lang in zh en; do
  html="$out/report-$lang.html"
  # The demo fails on purpose: exit code 1 is the verdict, anything else an error.
  rc=0
  "${anbao[@]}" -C . --lang "$lang" check --as-of 2026-11-28 --format html --output "$html" || rc=$?
  if [[ $rc -gt 1 || ! -s $html ]]; then
    echo "error: anbao could not write $html (exit $rc)" >&2
    exit 1
  fi
  chromium --window-size=1240,1754 --screenshot="$out/report-$lang.png" "file://$html"
  chromium --no-pdf-header-footer --print-to-pdf="$out/report-$lang.pdf" "file://$html"
  for f in "$out/report-$lang.png" "$out/report-$lang.pdf"; do
    if [[ ! -s $f ]]; then
      echo "error: chromium wrote no $f (see $out/chromium.log)" >&2
      status=1
    fi
  done
  [[ -s $out/report-$lang.pdf ]] || continue
  n=$(pages "$out/report-$lang.pdf")
  if [[ ${n:-0} -lt 1 ]]; then
    echo "error: $out/report-$lang.pdf has no pages" >&2
    status=1
  else
    echo "$lang: $n A4 page(s): $out/report-$lang.pdf, screenshot $out/report-$lang.png"
  fi
done
echo "files in $out"
exit $status
