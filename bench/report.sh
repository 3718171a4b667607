#!/usr/bin/env bash
# The annual report side by side with what an editor would otherwise use: Observa writes the 2014
# report as Markdown, then pandoc turns it into DOCX and LibreOffice into PDF; against Observa's
# own PDF (typst, in-process) and HTML. Whole commands, timed by hyperfine (each run includes
# starting the process and reading the database).
#
#   bench/report.sh               # build release, then measure (about 2 minutes + build)
#   SKIP_BUILD=1 bench/report.sh  # reuse target/release/observa
#
# Needs: hyperfine, pandoc, LibreOffice (Debian: hyperfine pandoc libreoffice-writer-nogui).
# Targets (issue #5): the whole 2014 report as PDF in under 3 s and as HTML in under 200 ms.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in hyperfine pandoc soffice; do
    command -v "$tool" >/dev/null || { echo "bench/report.sh needs $tool (apt-get install hyperfine pandoc libreoffice-writer-nogui)" >&2; exit 1; }
done
[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release -p observa --manifest-path "$ROOT/Cargo.toml"
BIN="$ROOT/target/release/observa"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
"$BIN" --db r.db report --lang en --out report.md 2>/dev/null   # seeds the database once
export HOME="$TMP"                                               # LibreOffice's profile, not the user's

hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown results.md \
    -n "observa html" "$BIN --db r.db report --lang en --out r.html" \
    -n "observa pdf (typst)" "$BIN --db r.db report --lang en --out r.pdf" \
    -n "observa md + pandoc docx + libreoffice pdf" \
    "$BIN --db r.db report --lang en --out r.md && pandoc r.md -o r.docx && soffice --headless --convert-to pdf --outdir lo r.docx >/dev/null 2>&1"
cat results.md
echo
echo "pages: observa $(pdfinfo r.pdf 2>/dev/null | awk '/^Pages/ {print $2}'), pandoc+LibreOffice $(pdfinfo lo/r.pdf 2>/dev/null | awk '/^Pages/ {print $2}')"
