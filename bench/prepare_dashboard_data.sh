#!/bin/sh
# Builds the store dashboard_bench measures: a simulated market of MENTIONS
# X posts over DAYS days (two years by default, so that "a year earlier"
# has data), its ready-made watches with their share-of-voice groups, and
# one ingest through the production pipeline (enrichment, live matching,
# rollups).
#   bench/prepare_dashboard_data.sh DIR [MENTIONS] [DAYS]
set -eu
dir=${1:?usage: prepare_dashboard_data.sh DIR [MENTIONS] [DAYS]}
mentions=${2:-10000000}
days=${3:-730}
bin=${EARSHOT_BIN:-build/release/earshot}
mkdir -p "$dir"
"$bin" simulate --mentions "$mentions" --days "$days" --seed 7 --x-only --overwrite --out "$dir/world"
rm -rf "$dir/store"
python3 - "$dir/world/truth/watches.jsonl" <<'PY' | while IFS="$(printf '\t')" read -r name query group; do
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    w = json.loads(line)
    print("\t".join([w["name"], w["query"], w.get("group", "")]))
PY
  "$bin" --data "$dir/store" watch add "$name" "$query" --group "$group" > /dev/null
done
/usr/bin/time -v "$bin" --data "$dir/store" ingest "$dir/world/x" 2> "$dir/ingest.time"
grep -E "Elapsed|Maximum resident" "$dir/ingest.time"
