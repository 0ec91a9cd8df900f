#!/usr/bin/env bash
# Memory as users run the service: the packaged jar under 100 requests/s for two minutes against the mock
# upstream, started plainly (java -jar) and through bin/kaiwa (the benchmark's JVM options), one after the other.
# Prints the resident set size at start, its largest and at the end. Needs hey, node and a packaged service.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
HERE="$ROOT/integration-tests/src/bench/load"
KIT="${BENCH_KIT:-$ROOT/../shared/bench}"
OUT="$ROOT/integration-tests/target/bench"
JAR="$ROOT/agent-runtime/target/quarkus-app/quarkus-run.jar"
DURATION="${DURATION:-120s}"
SATURATION=0
KAIWA_PORT=18090
MOCK_PORT=9000

for tool in hey node java curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y hey nodejs)" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "build the service first: ./mvnw package -DskipTests -pl agent-runtime -am" >&2; exit 2; }
mkdir -p "$OUT/logs"
. "$HERE/lib.sh"
start_mock 20

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }

measure() { # name, then the command that starts the service
  local name="$1"; shift
  rm -rf "$OUT/rss-data"
  env -i PATH="$PATH" HOME="$HOME" JAVA_HOME="${JAVA_HOME:-}" KAIWA_DATA_DIR="$OUT/rss-data" \
    QUARKUS_HTTP_PORT=$KAIWA_PORT QUARKUS_HTTP_HOST=127.0.0.1 KAIWA_AUTH_API_KEYS=bench:sk-bench \
    KAIWA_PROVIDERS_MOCK_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" KAIWA_PROVIDERS_MOCK_API_KEY=sk-dummy \
    KAIWA_PROVIDERS_MOCK_MODELS=mock-model "$@" > "$OUT/logs/rss-$name.log" 2>&1 &
  local pid=$!
  wait_for "http://127.0.0.1:$KAIWA_PORT/q/health/ready"
  # bin/kaiwa execs java: the pid is the JVM's either way.
  local start; start=$(rss $pid); local top=$start
  hey -z "$DURATION" -c 4 -q 25 -m POST -T application/json -H "Authorization: Bearer sk-bench" \
    -d '{"model":"mock-model","input":"hello"}' "http://127.0.0.1:$KAIWA_PORT/v1/responses" > "$OUT/logs/rss-$name-hey.txt" &
  local load=$!
  while kill -0 $load 2>/dev/null; do
    sleep 5
    local now; now=$(rss $pid); [ "$now" -gt "$top" ] && top=$now
  done
  local end; end=$(rss $pid)
  kill $pid; wait $pid 2>/dev/null || true
  printf '%-12s start %4d MB  largest %4d MB  end %4d MB  (%s)\n' "$name" "$start" "$top" "$end" \
    "$(grep -m1 'Requests/sec' "$OUT/logs/rss-$name-hey.txt" | tr -s ' ')"
}

measure java-jar java -jar "$JAR"
measure bin-kaiwa "$ROOT/bin/kaiwa"
