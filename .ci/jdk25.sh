# Sourced by .ci/run and by the scripts that start the packaged service or its commands (e2e/run.sh,
# load-tests/run.sh, load-tests/log-crash/run.sh, load-tests/hnsw-compare.sh). The jar is built for Java 25:
# this exports JAVA_HOME and PATH for a JDK 25 or newer (JAVA_HOME when it is one, else the first under
# /usr/lib/jvm, Temurin 25 on this machine kind) and RANKER_JVM_FLAGS, the flags every JVM that searches the
# catalog gets: Lucene's SIMD vector code needs the incubating Vector API module on the command line.
ranker_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
ranker_is_jdk25() { [ -x "$1/bin/javac" ] && [ "$(ranker_java_major "$1")" -ge 25 ] 2>/dev/null; }
if [ -z "${JAVA_HOME:-}" ] || ! ranker_is_jdk25 "$JAVA_HOME"; then
  JAVA_HOME=
  for ranker_jdk in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if ranker_is_jdk25 "$ranker_jdk"; then JAVA_HOME=$ranker_jdk; break; fi
  done
fi
if [ -z "$JAVA_HOME" ]; then
  echo "no JDK 25 or newer found (JAVA_HOME or /usr/lib/jvm): Ranker builds and runs on Java 25; install one and set JAVA_HOME" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
RANKER_JVM_FLAGS="--add-modules jdk.incubator.vector"
