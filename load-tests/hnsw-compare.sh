#!/usr/bin/env bash
# HNSW search speed before and after the move to Java 25 + Lucene 10, in one run, as ratios; and the catalog's
# vector quantization (none vs int8) through the product's own `eval ann`.
#
#   load-tests/hnsw-compare.sh [ROUNDS]      (default 3; each round runs every configuration once, interleaved)
#
# Before: BEFORE_REF (default: the last commit before pom.xml moved to Lucene 10) is exported with
# `git archive` into target/hnsw-compare/before and packaged with JDK 17 (JAVA17_HOME). After: this checkout's
# target/quarkus-app (packaged here with JDK 25 when missing). Raw Lucene search runs load-tests/hnsw/HnswSpeed.java
# against each build's own lucene-core jar: Java 17 + Lucene 9.12, Java 25 + Lucene 10 with
# --add-modules jdk.incubator.vector (SIMD), and Java 25 + Lucene 10 without it (scalar). Figures are per-query
# CPU time of the searching thread (steady on a shared machine), medians over rounds. JAVA17_HOME defaults to
# /usr/lib/jvm/java-17-openjdk-amd64; the JDK 25 is chosen by .ci/jdk25.sh.
# Data: ../shared/datasets/sift5k (5,000 x 128-d, 100 queries), k=10, ef=300 (the eval floor's settings).
# Output: target/hnsw-compare/<stamp>/{raw.jsonl,eval.jsonl,summary.txt}.
set -euo pipefail
rounds=${1:-3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
datasets=${RANKER_DATASETS:-$root/../shared/datasets}
sift=$datasets/sift5k
java17=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}/bin/java
source .ci/jdk25.sh  # JAVA_HOME: a JDK 25
java25_home=$JAVA_HOME
java25=$java25_home/bin/java
for f in "$java17" "$java25" "$sift/base.fvecs"; do [[ -e $f ]] || { echo "missing: $f" >&2; exit 69; }; done

# Default "before": the parent of the commit that moved pom.xml to Lucene 10 (HEAD while that is not committed).
before_ref=${BEFORE_REF:-}
if [[ -z $before_ref ]]; then
  moved=$(git log --format=%H -S'<lucene.version>10.' -- pom.xml | tail -1)
  before_ref=${moved:+$moved^}
  before_ref=${before_ref:-HEAD}
fi
before_sha=$(git rev-parse --short "$before_ref")
before=$root/target/hnsw-compare/before-$before_sha
if [[ ! -f $before/target/quarkus-app/quarkus-run.jar ]]; then
  echo "== building $before_sha (before) with JDK 17 into $before"
  rm -rf "$before" && mkdir -p "$before"
  git archive "$before_ref" | tar -x -C "$before"
  JAVA_HOME=$(dirname "$(dirname "$java17")") "$root/mvnw" -B -q -f "$before/pom.xml" package -DskipTests
fi
if [[ ! -f target/quarkus-app/quarkus-run.jar ]]; then
  echo "== building this checkout (after) with JDK 25"
  JAVA_HOME=$java25_home "$root/mvnw" -B -q package -DskipTests
fi
lucene_before=$(ls "$before"/target/quarkus-app/lib/main/org.apache.lucene.lucene-core-*.jar)
lucene_after=$(ls target/quarkus-app/lib/main/org.apache.lucene.lucene-core-*.jar)

out=target/hnsw-compare/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
bench=load-tests/hnsw/HnswSpeed.java
raw() { # label java [flags...]
  local label=$1 jvm=$2; shift 2
  "$jvm" "$@" "$bench" "$sift" 10 300 20 2>/dev/null | tail -1 | sed "s/^{/{\"config\": \"$label\", /" | tee -a "$out/raw.jsonl"
}
evalann() { # quantization
  "$java25" --add-modules jdk.incubator.vector -jar target/quarkus-app/quarkus-run.jar eval ann --base "$sift/base.fvecs" \
    --queries "$sift/query.fvecs" --groundtruth "$sift/groundtruth.ivecs" --k 10 --vector-quantization "$1" 2>/dev/null \
    | tail -1 | tee -a "$out/eval.jsonl"
}
for ((r = 1; r <= rounds; r++)); do
  echo "== round $r/$rounds"
  raw java17-lucene9 "$java17" -cp "$lucene_before"
  raw java25-lucene10-simd "$java25" --add-modules jdk.incubator.vector -cp "$lucene_after"
  raw java25-lucene10-scalar "$java25" -cp "$lucene_after"
  evalann none
  evalann int8
done

python3 - "$out" <<'PY' | tee "$out/summary.txt"
import json, statistics, sys
out = sys.argv[1]
def load(name, key):
    rows = {}
    for line in open(f"{out}/{name}"):
        r = json.loads(line)
        rows.setdefault(r[key], []).append(r)
    return rows
raw = load("raw.jsonl", "config")
med = lambda rows, f: statistics.median(r[f] for r in rows)
print("raw Lucene HNSW, sift5k, k=10 ef=300, CPU us per query (median of rounds; recall@10)")
for c, rows in raw.items():
    print(f"  {c:24s} {med(rows, 'cpuMicrosPerQuery'):8.1f} us   recall {med(rows, 'recall@10'):.4f}   ({len(rows)} rounds: {[r['cpuMicrosPerQuery'] for r in rows]})")
b = med(raw["java17-lucene9"], "cpuMicrosPerQuery")
for c in ("java25-lucene10-simd", "java25-lucene10-scalar"):
    print(f"  speed-up java17-lucene9 -> {c}: {b / med(raw[c], 'cpuMicrosPerQuery'):.2f}x")
ev = load("eval.jsonl", "quantization")
print("eval ann (VectorSource, Java 25 + SIMD), sift5k, k=10 ef=300, CPU us per query (median of rounds)")
for q, rows in ev.items():
    print(f"  {q:5s} {med(rows, 'cpuMicrosPerQuery'):8.1f} us   recall {med(rows, 'recall@10'):.4f}   build {med(rows, 'buildSeconds'):.1f} s   ({[r['cpuMicrosPerQuery'] for r in rows]})")
if "none" in ev and "int8" in ev:
    print(f"  int8 / none CPU per query: {med(ev['int8'], 'cpuMicrosPerQuery') / med(ev['none'], 'cpuMicrosPerQuery'):.2f}x")
PY
