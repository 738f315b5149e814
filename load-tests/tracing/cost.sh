#!/bin/bash
# CPU per /v1/rank with tracing off vs on. Three services from target/quarkus-app at once, on copies of one seeded
# data dir (5,000 demo items, in-memory features): tracing off (the default), on with every request sampled, on at
# the default ratio 0.1; spans go over OTLP/HTTP to a local stand-in collector (otlp_sink.py). After a warm-up, load
# goes in slices rotating over the three (2 keep-alive connections, N requests each, search and feed alternating), so
# each ratio compares slices measured seconds apart on a shared machine. Prints per-slice CPU of the service process
# (utime+stime) per request and the median of the paired ratios. Ports: PORT_BASE..PORT_BASE+3 (default 19001).
set -u
cd "$(dirname "$0")/../.."
WORK=${WORK:-target/tracing-cost}; BASE=${PORT_BASE:-19001}; SINK=$((BASE + 9))
WARM=${WARM:-3000}; N=${N:-1000}; ROUNDS=${ROUNDS:-8}; THREADS=2; T=load-tests/tracing
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
mkdir -p $WORK
PIDS=""
trap 'kill $PIDS 2>/dev/null' EXIT
serve() { # name port env...: starts a service, waits until ready
  local name=$1 port=$2; shift 2
  env QUARKUS_HTTP_PORT=$port RANKING_DATA_DIR=$WORK/data-$name RANKING_CATALOG_DEMO_ITEMS=5000 "$@" \
    java --add-modules jdk.incubator.vector -Xmx1g -jar target/quarkus-app/quarkus-run.jar > $WORK/$name.log 2>&1 &
  PID[$name]=$!; PORT[$name]=$port; PIDS="$PIDS $!"
  for i in $(seq 1 900); do curl -sf localhost:$port/q/health/ready >/dev/null && return; sleep 1; done
  echo "$name did not start: $WORK/$name.log" >&2; exit 1
}
declare -A PORT PID
if [ ! -d $WORK/data-seed ]; then # first start seeds the demo catalog, features and model once
  serve seed $BASE; kill ${PID[seed]}; wait ${PID[seed]} 2>/dev/null
fi
python3 $T/otlp_sink.py $SINK $WORK/sink.txt & PIDS="$PIDS $!"
ON="QUARKUS_OTEL_SDK_DISABLED=false QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:$SINK"
for n in off on1 on01; do rm -rf $WORK/data-$n; cp -r $WORK/data-seed $WORK/data-$n; rm -rf $WORK/data-$n/logs; done
serve off $((BASE + 1))
serve on1 $((BASE + 2)) $ON RANKING_TRACE_SAMPLE_RATIO=1.0
serve on01 $((BASE + 3)) $ON RANKING_TRACE_SAMPLE_RATIO=0.1
for n in off on1 on01; do python3 $T/rank_load.py ${PORT[$n]} ${PID[$n]} $WARM $THREADS > /dev/null; done
for r in $(seq 1 $ROUNDS); do
  for n in off on1 on01; do echo "$r $n $(python3 $T/rank_load.py ${PORT[$n]} ${PID[$n]} $N $THREADS)"; done
done | tee $WORK/slices.txt
python3 - $WORK/slices.txt <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    r, name, js = line.split(" ", 2)
    rows.setdefault(r, {})[name] = json.loads(js)["cpu_ms_per_request"]
for n in ("on1", "on01"):
    ratios = [v[n] / v["off"] for v in rows.values()]
    print(f"{n}/off CPU per request: median {statistics.median(ratios):.3f} (slices {min(ratios):.2f}..{max(ratios):.2f})")
print("off: median %.2f ms CPU per request" % statistics.median(v["off"] for v in rows.values()))
PY
echo "collector received (exports, bytes): $(cat $WORK/sink.txt 2>/dev/null)"
