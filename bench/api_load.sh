#!/usr/bin/env bash
# The API under load (docs/BENCHMARKS.md): a dashboard query and a search
# driven by wrk while the same process ingests RATE mentions a second over
# HTTP, and the time from each mention's POST to its live-stream event.
#
#   bench/api_load.sh [DATA_DIR]     (after `make build`; needs wrk: scripts/setup-deps --bench)
#
# MENTIONS (default 1000000) simulated mentions with the world's watches are
# stored first (once per DATA_DIR; FRESH=1 prepares the store again); the
# load is the same world's X stream later in time, so every posted mention is
# new and matched against the same watches. Each run adds its load to the
# store, so later runs on one DATA_DIR search a larger index.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build/release}
DATA=${1:-/tmp/earshot-api-bench}
MENTIONS=${MENTIONS:-1000000}
RATE=${RATE:-10000}
SECS=${LOAD_SECONDS:-60}
PORT=${PORT:-18181}
PASS=bench-admin-password

if [ "${FRESH:-0}" = 1 ]; then rm -f "$DATA/.prepared"; fi
if [ ! -f "$DATA/.prepared" ]; then
  rm -rf "$DATA" "$DATA.world" "$DATA.load"
  "$B/earshot" simulate --mentions "$MENTIONS" --days 60 --seed 1 --out "$DATA.world" >/dev/null
  python3 - "$DATA.world/truth/watches.jsonl" > "$DATA.watches" <<'PY'
import json, sys, shlex
for line in open(sys.argv[1]):
    w = json.loads(line)
    print(shlex.join([w["name"], w["query"], "--group", w.get("group", "")]))
PY
  while IFS= read -r args; do eval "\"$B/earshot\" --data \"$DATA\" watch add $args" >/dev/null; done < "$DATA.watches"
  "$B/earshot" --data "$DATA" ingest "$DATA.world" >/dev/null
  touch "$DATA/.prepared"
fi
# The load: the same world a little later, a new day each run, so every
# posted mention is new (ids follow time).
RUN=$(( $(cat "$DATA/.runs" 2>/dev/null || echo 0) + 1 )); echo $RUN > "$DATA/.runs"
rm -rf "$DATA.load"
"$B/earshot" simulate --mentions $((RATE * SECS)) --days 1 --seed 1 --x-only --no-truth \
  --start "$(date -u -d "2026-03-10 + $RUN days" +%FT00:00:00Z)" --out "$DATA.load" >/dev/null
cat "$DATA.load"/x/*.jsonl > "$DATA.load/all.jsonl"

EARSHOT_ADMIN_PASSWORD=$PASS "$B/earshot" --data "$DATA" serve --port "$PORT" --no-poll > "$DATA.serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
JAR=$(mktemp)
CSRF=$(curl -sf -c "$JAR" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$PASS\"}" "http://127.0.0.1:$PORT/api/v1/session" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')
TOKEN=$(curl -sf -b "$JAR" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d '{"name":"bench"}' \
  "http://127.0.0.1:$PORT/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
rm -f "$JAR"
GROUP=$(head -1 "$DATA.watches" | python3 -c 'import shlex,sys; print(shlex.split(sys.stdin.read())[3])')
BRAND=$(head -1 "$DATA.watches" | python3 -c 'import shlex,sys; print(shlex.split(sys.stdin.read())[0])')
REPORT="http://127.0.0.1:$PORT/api/v1/report?group=$GROUP&from=2026-01-05&to=2026-02-04&parts=rollups"
# A brand search, and a broad one whose count must check every match's language.
SEARCH="http://127.0.0.1:$PORT/api/v1/mentions?q=$BRAND%20AND%20%28outage%20OR%20down%20OR%20migration%29&limit=20"
BROAD="http://127.0.0.1:$PORT/api/v1/mentions?q=%28outage%20OR%20down%29%20AND%20lang%3Aen&limit=20"

echo "== $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
STORED=$("$B/earshot" --data "$DATA" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["mentions"])')
echo "== store: $STORED mentions ($MENTIONS prepared, the rest earlier runs' load); load: $RATE mentions/s for ${SECS}s over POST /api/v1/ingest"
CONNS=${CONNS:-2}
load() {  # label url seconds
  echo "-- $1:"
  wrk -t1 -c"$CONNS" -d"$3"s --latency -H "Authorization: Bearer $TOKEN" "$2" | grep -E "Requests/sec|99%|50%|Non-2xx"
}
echo "== idle (no ingest), $CONNS connections, 10 s each:"
load "dashboard (rollup sections of the report of group $GROUP over 30 days)" "$REPORT" 10
load "brand search" "$SEARCH" 10
load "broad search with a language filter" "$BROAD" 10
echo "== under ingest load, $CONNS connections:"
"$B/bench/api_load_bench" --port "$PORT" --token "$TOKEN" --lines "$DATA.load/all.jsonl" --rate "$RATE" \
  --seconds "$SECS" --posters "${POSTERS:-8}" > "$DATA.ingest.out" &
LOADER=$!
sleep 5
W=$(( (SECS - 10) / 3 ))
load "dashboard (rollup sections of the report of group $GROUP over 30 days)" "$REPORT" $W
load "brand search" "$SEARCH" $W
load "broad search with a language filter" "$BROAD" $W
wait $LOADER
cat "$DATA.ingest.out"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E "^earshot_(ingest_mentions_total|match_latency_seconds_(sum|count))"
