#!/usr/bin/env bash
# End-to-end test of the policy console in a real headless Chromium. Needs the packaged service
# (target/quarkus-app/quarkus-run.jar, from `mvn package` or `mvn verify`), Node.js 18+ and Debian's chromium.
# Runs the unit tests of the console's pure helpers first (helpers.test.mjs, no browser needed).
# Screenshots and the service log go to target/e2e-screenshots/. Exit status: 0 when every step passed.
set -euo pipefail
cd "$(dirname "$0")"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing at $CHROMIUM: install it (apt-get install chromium) or set CHROMIUM" >&2
    exit 2
  fi
fi
command -v node >/dev/null || { echo "node is missing (Node.js 18+ is needed)" >&2; exit 2; }
# The service jar is built for Java 25: JAVA_HOME/PATH of a JDK 25 and the JVM flags (Lucene's SIMD vector path)
source ../.ci/jdk25.sh
export RANKER_JVM_FLAGS
[ -f ../target/quarkus-app/quarkus-run.jar ] || { echo "target/quarkus-app/quarkus-run.jar is missing: run './mvnw -B package -DskipTests' first" >&2; exit 2; }

npm ci --no-audit --no-fund --loglevel=error
echo "== unit tests of the console's pure helpers (node --test)"
node --test helpers.test.mjs vocabulary.test.mjs
echo "== the console end to end"
CHROMIUM="$CHROMIUM" node console.spec.mjs
