#!/usr/bin/env bash
# Runs one load scenario against a Ranker started here, with a real redis-server, and writes a report.
#
#   load-tests/run.sh SCENARIO RATE[,RATE...] DURATION
#     SCENARIO  search | feed | mix
#     RATE      arrivals per second (open model: requests keep arriving at this rate however slow the service);
#               a comma-separated list runs one measured step per rate, in order, against the same service start
#     DURATION  seconds per rate, 1..600
#
# Environment (all optional):
#   ITEMS=100000         demo catalog size seeded into the empty data dir (the reference workload)
#   CONFIG_DIR=...       ranking configuration to serve (default: load-tests/ranking-config/, the reference
#                        workload: 100 features, BM25 + HNSW = 500 candidates, 5 rules, Plackett-Luce)
#   DEMO_ROUNDS=300      trees of the demo model trained at first start (depth 6)
#   JAVA_OPTS="..."      service JVM flags (default: 1 GiB heap, G1 with a 10 ms pause goal, pre-touched)
#   WARMUP=20            seconds of wrk warm-up before the measured run (0 to skip; needs wrk)
#   P99_MS=15            make Gatling fail the run when the global p99 exceeds this (ms)
#   SERVICE_CPUS=0 / LOADGEN_CPUS=1   pin the service / the load generator with taskset
#   READY_TIMEOUT=900    seconds to wait for /q/health/ready (seeding 100k items takes a while)
#   IDLE_SAMPLE=15       seconds of idle service CPU sampled after warm-up (background work: JIT, GC, log
#                        housekeeping); each step also reports CPU per request net of it
#   KEEP_DATA=1          keep the temporary data dir (index, impression log) for inspection
#   DATA_DIR=...         a persistent data dir (created when missing) holding data/ and ranking-config/: the
#                        catalog is indexed and the demo model trained only on the first run that uses it
#
# Everything binds to 127.0.0.1. The service jar is built first when target/quarkus-app is missing.
set -euo pipefail

usage() {
  echo "usage: $0 search|feed|mix RATE[,RATE...] DURATION   (e.g. $0 search 200 60, $0 mix 50,100,200,400 60)" >&2
  exit 64
}
[[ $# -eq 3 ]] || usage
scenario=$1 rate=$2 duration=$3
case $scenario in
  search) simulation=SearchSimulation ;;
  feed) simulation=FeedSimulation ;;
  mix) simulation=MixSimulation ;;
  *) usage ;;
esac
[[ $rate =~ ^[0-9]+([.][0-9]+)?(,[0-9]+([.][0-9]+)?)*$ ]] || usage
IFS=, read -r -a rates <<<"$rate"
if ! [[ $duration =~ ^[0-9]+$ ]] || ((duration < 1 || duration > 600)); then
  echo "DURATION must be 1..600 seconds" >&2
  exit 64
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
jar=$root/target/quarkus-app/quarkus-run.jar
config_dir=${CONFIG_DIR:-$here/ranking-config}
read -r -a java_opts <<<"${JAVA_OPTS:--Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=10 -XX:+AlwaysPreTouch}"

# Java 25 (JAVA_HOME, PATH) and the service's JVM flags (RANKER_JVM_FLAGS: Lucene's SIMD vector path)
source "$root/.ci/jdk25.sh" || exit 69
read -r -a jvm_flags <<<"$RANKER_JVM_FLAGS"
for tool in java redis-server redis-cli curl awk; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 69; }
done

if [[ ! -f $jar ]]; then
  echo "building the service: ./mvnw -B package -DskipTests"
  "$root/mvnw" -B -q -f "$root/pom.xml" package -DskipTests
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$here/target/reports/$stamp-$scenario-${rate//,/-}rps-${duration}s
mkdir -p "$report"
work=$(mktemp -d "${TMPDIR:-/tmp}/ranker-load.XXXXXX")
redis_pid=""
service_pid=""

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$?
  if [[ -n $service_pid ]]; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  if [[ -n $redis_pid ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  if [[ ${KEEP_DATA:-0} == 1 ]]; then
    echo "data dir kept: $work"
  else
    rm -rf "$work"
  fi
  echo "report: $report"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A port nothing listens on (a refused connection means free).
free_port() {
  local port
  for _ in {1..100}; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# taskset prefix for a CPU list, or nothing.
pin() {
  if [[ -n ${1:-} ]]; then
    printf '%s\n' taskset -c "$1"
  fi
}

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
  local ticks
  ticks=$(getconf CLK_TCK)
  # fields 14 and 15 of /proc/PID/stat; the command name (field 2) may contain spaces, so cut after ')'
  awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / t }' "/proc/$1/stat"
}

{
  echo "date: $stamp"
  echo "scenario: $scenario  rates: $rate/s  duration: ${duration}s per rate  items: ${ITEMS:-100000}  config: $config_dir  demo trees: ${DEMO_ROUNDS:-300}"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel: $(uname -sr)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "redis: $(redis-server --version)"
  echo "service JVM flags: ${jvm_flags[*]} ${java_opts[*]}"
  echo "pinning: service=${SERVICE_CPUS:-none} loadgen=${LOADGEN_CPUS:-none}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$report/machine.txt"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" \
  --logfile "$report/redis.log" &
redis_pid=$!
for _ in {1..50}; do
  [[ $(redis-cli -p "$redis_port" ping 2>/dev/null) == PONG ]] && break
  sleep 0.2
done
[[ $(redis-cli -p "$redis_port" ping 2>/dev/null) == PONG ]] || { echo "redis-server did not start" >&2; exit 1; }

# The service may write to its config dir (the demo model's promotion rewrites models.yaml), so it gets a copy:
# a load run never modifies the repository's ranking-config/.
state=$work
if [[ -n ${DATA_DIR:-} ]]; then
  mkdir -p "$DATA_DIR"
  state=$(cd "$DATA_DIR" && pwd)
fi
if [[ ! -d $state/ranking-config ]]; then
  if [[ -d $config_dir ]]; then
    cp -R "$config_dir" "$state/ranking-config"
  else
    mkdir -p "$state/ranking-config"
  fi
fi

app_port=$(free_port)
management_port=$(free_port)
base_url=http://127.0.0.1:$app_port
# health and metrics are on the management interface (its own port)
management_url=http://127.0.0.1:$management_port
mapfile -t service_pin < <(pin "${SERVICE_CPUS:-}")
(
  cd "$work"
  exec env RANKING_FEATURES_STORE=redis \
    QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$redis_port" \
    RANKING_DATA_DIR="$state/data" \
    RANKING_CONFIG_DIR="$state/ranking-config" \
    RANKING_CATALOG_DEMO_ITEMS="${ITEMS:-100000}" \
    RANKING_MODELS_DEMO_ROUNDS="${DEMO_ROUNDS:-300}" \
    QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_HTTP_PORT="$app_port" \
    QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$management_port" \
    "${service_pin[@]}" java "${jvm_flags[@]}" "${java_opts[@]}" -jar "$jar"
) >"$report/service.log" 2>&1 &
service_pid=$!

echo "waiting for $management_url/q/health/ready (service log: $report/service.log)"
deadline=$((SECONDS + ${READY_TIMEOUT:-900}))
until curl -fs -o /dev/null "$management_url/q/health/ready"; do
  if ! kill -0 "$service_pid" 2>/dev/null; then
    echo "the service exited during start-up; last lines of its log:" >&2
    tail -n 30 "$report/service.log" >&2
    exit 1
  fi
  if ((SECONDS > deadline)); then
    echo "not ready after ${READY_TIMEOUT:-900}s" >&2
    exit 1
  fi
  sleep 1
done
echo "ready after ${SECONDS}s"

if [[ ${WARMUP:-20} -gt 0 ]]; then
  if command -v wrk >/dev/null; then
    echo "warm-up: ${WARMUP:-20}s of wrk (not measured)"
    wrk -t1 -c4 -d"${WARMUP:-20}s" -s "$here/wrk/rank.lua" "$base_url" >"$report/warmup.txt" 2>&1 ||
      echo "warm-up failed (see $report/warmup.txt); measuring anyway" >&2
  else
    echo "wrk not installed: no warm-up (the first seconds will include JIT compilation)"
  fi
fi

# The service's CPU while idle (JIT still compiling, GC, scheduled reloads, log housekeeping): subtracted from
# the steps' CPU to get the CPU a ranked request itself costs. At low rates this background dominates.
idle_cpu_rate=0
if [[ ${IDLE_SAMPLE:-15} -gt 0 ]]; then
  c0=$(cpu_seconds "$service_pid")
  sleep "${IDLE_SAMPLE:-15}"
  c1=$(cpu_seconds "$service_pid")
  idle_cpu_rate=$(awk -v a="$c0" -v b="$c1" -v t="${IDLE_SAMPLE:-15}" 'BEGIN { printf "%.4f", (b - a) / t }')
  echo "idle service CPU: $idle_cpu_rate cores (over ${IDLE_SAMPLE:-15}s)" | tee -a "$report/machine.txt"
fi
gatling_rc=0
: >"$report/summary.txt"
for r in "${rates[@]}"; do
  step=$report/${r}rps
  mkdir -p "$step"
  echo "=== $scenario at $r/s for ${duration}s"
  curl -fsS "$management_url/q/metrics" >"$step/metrics-before.prom"
  cpu_before=$(cpu_seconds "$service_pid")
  t_before=$(date +%s.%N)
  marker=$work/gatling-start-$r
  touch "$marker"

  mapfile -t loadgen_pin < <(pin "${LOADGEN_CPUS:-}")
  gatling_args=(-B -f "$here/pom.xml" gatling:test
    "-Dgatling.simulationClass=io.ranker.load.$simulation"
    "-DbaseUrl=$base_url" "-Drate=$r" "-Dduration=$duration")
  if [[ -n ${P99_MS:-} ]]; then
    gatling_args+=("-Dp99ms=$P99_MS")
  fi
  set +e
  "${loadgen_pin[@]}" "$root/mvnw" "${gatling_args[@]}" 2>&1 | tee "$step/gatling.txt"
  rc=${PIPESTATUS[0]}
  ((rc == 0)) || gatling_rc=$rc
  set -e

  cpu_after=$(cpu_seconds "$service_pid")
  t_after=$(date +%s.%N)
  curl -fsS "$management_url/q/metrics" >"$step/metrics-after.prom"

  # Gatling writes its HTML report under load-tests/target/gatling/<simulation>-<timestamp>/.
  html_dir=$(find "$here/target/gatling" -mindepth 1 -maxdepth 1 -type d -newer "$marker" 2>/dev/null | sort | tail -n 1)
  if [[ -n $html_dir ]]; then
    mv "$html_dir" "$step/gatling"
  fi

  # Per-stage split of this run: histogram bucket deltas between the two scrapes, all surfaces together.
  # (POSIX awk: no gawk extensions, so it runs with mawk too.)
  awk -v cpu_before="$cpu_before" -v cpu_after="$cpu_after" -v t_before="$t_before" -v t_after="$t_after" -v idle="$idle_cpu_rate" '
    function label(line, name,    m) {
      if (match(line, name "=\"[^\"]*\"")) { m = substr(line, RSTART, RLENGTH); sub(/^[^"]*"/, "", m); sub(/"$/, "", m); return m }
      return ""
    }
    /^ranker_stage_seconds_(bucket|sum|count)[{]/ || /^ranker_degraded_total[{]/ {
      value = $NF; stage = label($0, "stage")
      sign = (FILENAME ~ /before/) ? -1 : 1
      if ($0 ~ /^ranker_stage_seconds_bucket/) {
        le = label($0, "le"); bucket[stage, le] += sign * value; stages[stage] = 1
        if (le != "+Inf" && !(le in seen)) { seen[le] = 1; bounds[++n] = le }
      }
      else if ($0 ~ /^ranker_stage_seconds_sum/) { total[stage] += sign * value }
      else if ($0 ~ /^ranker_stage_seconds_count/) { count[stage] += sign * value }
      else { degraded[label($0, "what")] += sign * value }
    }
    END {
      for (i = 2; i <= n; i++) {           # insertion sort of the bucket bounds by value
        b = bounds[i]; j = i - 1
        while (j > 0 && bounds[j] + 0 > b + 0) { bounds[j + 1] = bounds[j]; j-- }
        bounds[j + 1] = b
      }
      requests = count["total"]
      printf "ranked requests during the run: %d\n", requests
      cpu = cpu_after - cpu_before
      printf "service CPU: %.2f s", cpu
      if (requests > 0) printf " = %.3f ms CPU per ranked request", 1000 * cpu / requests
      window = t_after - t_before
      printf "\nwindow: %.1f s (Gatling start-up included), %.2f cores on average", window, cpu / window
      net = cpu - idle * window
      if (requests > 0) printf "; net of the idle %.3f cores: %.3f ms CPU per ranked request", idle, 1000 * net / requests
      printf "\n\n%-10s %10s %12s %12s %12s\n", "stage", "mean ms", "p50 ms", "p95 ms", "p99 ms"
      split("retrieval features scoring policy explore logging total", order, " ")
      for (i = 1; i <= 7; i++) {
        s = order[i]; if (!(s in stages) || count[s] <= 0) continue
        p50 = p95 = p99 = ""
        for (j = 1; j <= n; j++) {
          c = bucket[s, bounds[j]]
          if (p50 == "" && c >= 0.50 * count[s]) p50 = bounds[j]
          if (p95 == "" && c >= 0.95 * count[s]) p95 = bounds[j]
          if (p99 == "" && c >= 0.99 * count[s]) p99 = bounds[j]
        }
        printf "%-10s %10.3f %12s %12s %12s\n", s, 1000 * total[s] / count[s],
          (p50 == "" ? ">max" : sprintf("<=%.3f", 1000 * p50)), (p95 == "" ? ">max" : sprintf("<=%.3f", 1000 * p95)),
          (p99 == "" ? ">max" : sprintf("<=%.3f", 1000 * p99))
      }
      print "(server-side; percentiles are histogram bucket upper bounds. Gatling reports the client-side latency.)"
      for (d in degraded) if (degraded[d] > 0) printf "degraded %s: %d\n", d, degraded[d]
    }
  ' "$step/metrics-before.prom" "$step/metrics-after.prom" >"$step/stages.txt" || echo "could not compute the per-stage split" >&2

  {
    cat "$report/machine.txt"
    echo "rate: $r/s  load average after the step: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    cat "$step/stages.txt" 2>/dev/null || true
    echo
    sed -n '/---- Global Information/,/^=====/p' "$step/gatling.txt"
    if [[ -d $step/gatling ]]; then
      echo "Gatling report: $step/gatling/index.html"
    fi
  } >"$step/summary.txt"
  echo
  cat "$step/summary.txt"
  cat "$step/summary.txt" >>"$report/summary.txt"
  echo >>"$report/summary.txt"
done
# latency (server-side p50/p99 of the whole request) and CPU per request against the offered rate, as an SVG
bash "$here/latency-chart.sh" "$report" || echo "could not draw the latency chart" >&2
exit "$gatling_rc"
