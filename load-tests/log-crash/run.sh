#!/usr/bin/env bash
# Crash test of the impression log at service level (issue 5): under load, kill -9 the service; every
# impression and feedback whose response was received must be in `logs dump`. Then tear the last record
# of the segment, restart: the service must start and `logs verify` must report the torn record.
# usage: load-tests/log-crash/run.sh [port]   (health on port + 1; needs target/quarkus-app/quarkus-run.jar and python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${1:-18471}
JAR=target/quarkus-app/quarkus-run.jar
source .ci/jdk25.sh  # Java 25 (the jar's) and RANKER_JVM_FLAGS (Lucene's SIMD vector path)
WORK=$(mktemp -d)
trap 'kill -9 ${PID:-0} 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT  # KEEP=1 keeps $WORK

start() {
  RANKING_DATA_DIR=$WORK/data QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) java $RANKER_JVM_FLAGS -jar $JAR >"$WORK/server-$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 180); do
    curl -sf -o /dev/null "localhost:$((PORT + 1))/q/health/ready" && return 0
    sleep 1
  done
  echo "service did not become ready; see $WORK/server-$1.log" >&2
  exit 1
}

start 1
python3 load-tests/log-crash/load.py "$PORT" "$WORK/acked.json" 25 &
LOAD=$!
sleep 12
kill -9 $PID
echo "killed the service with SIGKILL under load"
wait $LOAD || true

java -jar $JAR logs dump --data-dir "$WORK/data" >"$WORK/dump.jsonl"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
acked = json.load(open(f"{w}/acked.json"))
imp, fb = set(), set()
for line in open(f"{w}/dump.jsonl"):
    r = json.loads(line)
    (imp if r["kind"] == "impression" else fb).add(r["impressionId"] if r["kind"] == "impression" else r.get("eventId"))
mi = [x for x in acked["impressions"] if x not in imp]
mf = [x for x in acked["feedback"] if x not in fb]
print(f"acknowledged impressions {len(acked['impressions'])}, missing {len(mi)}; "
      f"acknowledged feedback {len(acked['feedback'])}, missing {len(mf)}")
sys.exit(1 if mi or mf or not acked["impressions"] else 0)
PY

SEG=$(ls "$WORK"/data/logs/*.log | tail -1)
python3 -c "import os,sys; p=sys.argv[1]; os.truncate(p, os.path.getsize(p) - 100)" "$SEG"
echo "cut the last 100 bytes of $(basename "$SEG")"
start 2
curl -s "localhost:$((PORT + 1))/q/health/ready" | python3 -c "import json,sys; print([c for c in json.load(sys.stdin)[\"checks\"] if c[\"name\"] == \"impression-log\"])"
kill $PID; wait $PID 2>/dev/null || true
if java -jar $JAR logs verify --data-dir "$WORK/data"; then
  echo "logs verify did not report the torn record" >&2; exit 1
fi
echo "OK: nothing acknowledged was lost; the service restarted over a torn segment; verify reported it"
