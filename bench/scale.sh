#!/usr/bin/env bash
# Import and bundle export at scale on PostgreSQL: the figures of the issue 4 closing note.
#   bash bench/scale.sh [EVENTS]        (default 1000000; PG=postgres://… to choose the server)
# It generates a bundle, imports it into a fresh database with the CLI, serves that
# database and exports the bundle (and the ndjson event export) over HTTP with curl,
# then prints events/s, MB/s and the peak RSS of the importer and of the server.
set -euo pipefail
N=${1:-1000000}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
DB=parley_scale_$N
PORT=${PORT:-18099}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cd "$(dirname "$0")/.."
go build -o "$work/parley" ./cmd/parley
P="$work/parley"

secs() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

t0=$(secs)
"$P" gen --events "$N" --seed 1 --out "$work/gen.ndjson"
t1=$(secs)
size=$(stat -c %s "$work/gen.ndjson")
echo "gen: $N events, $size bytes in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"

psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
"$P" migrate up --database-url "$PG/$DB" >/dev/null
t0=$(secs)
/usr/bin/time -f "%M" -o "$work/import.rss" "$P" import "$work/gen.ndjson" --database-url "$PG/$DB" >"$work/report.json"
t1=$(secs)
it=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
grep -q '"committed": true' "$work/report.json"
echo "import: $it s, $(rate "$N" "$it") events/s, importer peak RSS $(($(cat "$work/import.rss") / 1024)) MiB"

"$P" serve --database-url "$PG/$DB" --addr "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do # 60 s
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { echo "serve did not become ready"; exit 1; }
base=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
read -r bt bytes < <(curl -sf -o "$work/export.ndjson" -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$PORT/api/v1/export/bundle")
peak=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo "bundle export: $bt s, $(rate "$N" "$bt") events/s, $(awk -v b="$bytes" -v s="$bt" 'BEGIN{printf "%.1f", b/s/1e6}') MB/s, $bytes bytes"
echo "server RSS: $((base / 1024)) MiB before the export, peak $((peak / 1024)) MiB"
# The generator's record order is its own; the export's is canonical (by level, then id).
if cmp -s <(LC_ALL=C sort "$work/gen.ndjson") <(LC_ALL=C sort "$work/export.ndjson"); then
  echo "bundle export: the same records as the generated bundle, byte for byte"
else
  echo "bundle export: records DIFFER from the generated bundle"
fi
read -r et ebytes < <(curl -sf -o /dev/null -w '%{time_total} %{size_download}\n' "http://127.0.0.1:$PORT/api/v1/export?format=ndjson")
peak=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo "ndjson event export: $et s, $(rate "$N" "$et") events/s, $(awk -v b="$ebytes" -v s="$et" 'BEGIN{printf "%.1f", b/s/1e6}') MB/s; server peak RSS $((peak / 1024)) MiB"
