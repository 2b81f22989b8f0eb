#!/usr/bin/env bash
# The main job: build the runtime and the extension (.vsix), then run the runtime on the example plugins:
# start it, inject sample files, show them processed (status, output and failure directories, per-step figures,
# the flow graph and a failed file's journey), and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run package
echo

# A short home path: unix sockets live in it (108-byte limit).
home="${MFDATA_HOME:-$(mktemp -d /tmp/mfdata-main.XXXXXX)}"
mfdata() { ./bin/mfdata --workspace examples --home "$home" "$@"; }
trap 'mfdata stop >/dev/null 2>&1 || true' EXIT

echo "== configuration check"
mfdata config check
echo
echo "== start (home: $home)"
mfdata start
echo

samples="$(mktemp -d /tmp/mfdata-samples.XXXXXX)"
printf 'first line   \r\nsecond line\t\r\nthird line\r\n' > "$samples/report-1.txt"
printf 'alpha  \nbeta \n' > "$samples/notes 2.txt"
printf 'will be refused\n' > "$samples/order-fail.txt"
echo "== inject sample files"
mfdata inject "$samples/report-1.txt" --plugin normalize
mfdata inject "$samples/notes 2.txt" --plugin normalize
mfdata inject "$samples/order-fail.txt" --plugin fail_demo
# A producer writing into the extra watched directory of normalize/main: a .t name, then a rename.
drop="$home/var/in/drop/normalize"
mkdir -p "$drop"
printf 'dropped by a producer   \n' > "$drop/dropped.txt.t"
mv "$drop/dropped.txt.t" "$drop/dropped.txt"

out="$home/var/out/normalize"
failed="$home/var/failed/fail_demo"
echo
echo "== waiting for 3 files in $out and 1 in $failed (fail_demo retries twice first)"
for _ in $(seq 1 120); do
  done_count=$( (find "$out" -type f 2>/dev/null || true) | wc -l)
  failed_count=$( (find "$failed" -type f ! -name '*.tags' 2>/dev/null || true) | wc -l)
  [ "$done_count" -ge 3 ] && [ "$failed_count" -ge 1 ] && break
  sleep 0.25
done
echo
echo "== status"
mfdata status
echo
echo "== output of normalize/archive"
ls -l "$out"
echo "-- report-1.txt, normalised (cat -A shows line ends):"
cat -A "$out/report-1.txt"
echo
echo "== fail_demo: moved after its retries, with its tags"
ls -l "$failed"
tags_file=$(find "$failed" -name '*.tags' | head -n 1)
[ -n "$tags_file" ] && cat "$tags_file"
echo
# Workers flush their per-step figures at most once a second: let the last ones land.
sleep 1.2
echo "== per-step figures (mfdata stats)"
mfdata stats
echo
echo "== flow graph: where files went today (mfdata flow)"
mfdata flow
echo
echo "== journey of order-fail.txt (mfdata journey)"
mfdata journey order-fail.txt
echo
echo "== last log lines"
mfdata logs --level info | tail -n 8
echo
echo "== stop"
mfdata stop
trap - EXIT
rm -rf "$samples"
[ "$done_count" -ge 3 ] && [ "$failed_count" -ge 1 ] || { echo "main: the sample files were not all processed" >&2; exit 1; }
echo "main: OK (the installable extension is dist/mfdata-vscode.vsix)"
