#!/usr/bin/env bash
# Streamed bodies (issue 17): a 2 GiB upload to each server, and on Sluice a 2 GiB stream response,
# timed, with the server's CPU time and how much its resident memory grew. Prints a markdown table
# of medians over the rounds (servers interleaved: A B C A B C ...).
#
#   bench/streaming.sh                   3 rounds
#   options: --rounds N (3)  --engines event-loop,virtual,...  --size-mib N (2048)  --work DIR
#
# Servers, each started fresh per round on 127.0.0.1, pinned to core 1 (taskset; the JVM told
# -XX:ActiveProcessorCount=1); curl, the client, on core 0:
#   sluice-ENGINE upload    java -jar sluice.jar respond ok --max-body-size 4g --engine ENGINE
#                           (the handler reads every body to its end as it streams)
#   sluice-ENGINE download  dev.sluice.http.StreamingServerMain ENGINE (http's test classes):
#                           GET /stream?bytes=N answers N bytes from an InputStream, chunked
#   nginx upload            Debian's nginx, one process in the foreground, `client_max_body_size 4g`
#                           and `return 200 ok` (nginx reads the body and discards it)
# Memory: VmRSS from /proc/PID/status after a 1 MiB warm-up exchange and after the 2 GiB one.
# CPU: utime+stime from /proc/PID/stat over the 2 GiB exchange. Every process started is stopped
# by PID on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
# shellcheck source=bin/lib/find-java.sh
. "$ROOT/bin/lib/find-java.sh"
sluice_find_java || exit 1
COMMAND="bench/streaming.sh $*"

ROUNDS=3 ENGINES=event-loop,virtual,pool,thread-per-connection,sequential SIZE_MIB=2048 WORK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift ;;
    --engines) ENGINES=$2; shift ;;
    --size-mib) SIZE_MIB=$2; shift ;;
    --work) WORK=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/streaming.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
missing=()
for pair in curl:curl taskset:util-linux nginx:nginx-light bc:bc; do
  command -v "${pair%%:*}" > /dev/null || [ -x "/usr/sbin/${pair%%:*}" ] || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "installing ${missing[*]} (apt-get)" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
      < /dev/null > /dev/null || { echo "bench/streaming.sh: apt-get could not install ${missing[*]}" >&2; exit 1; }
  else
    echo "bench/streaming.sh needs ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
WORK=${WORK:-$(mktemp -d /tmp/sluice-streaming.XXXXXX)}
mkdir -p "$WORK"
BYTES=$((SIZE_MIB * 1024 * 1024))
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "building (mvn install, http test classes)..." >&2
(cd "$ROOT" && mvn -B -ntp -q -Dstyle.color=never install -DskipTests >/dev/null \
  && mvn -B -ntp -q -Dstyle.color=never test-compile -pl http >/dev/null \
  && mvn -B -ntp -q -Dstyle.color=never dependency:build-classpath -pl http \
       -Dmdep.outputFile="$WORK/http-cp.txt" >/dev/null)
CP="$ROOT/http/target/test-classes:$ROOT/http/target/classes:$(cat "$WORK/http-cp.txt")"
cp "$ROOT/cli/target/sluice.jar" "$WORK/sluice.jar"
truncate -s "$BYTES" "$WORK/big"
truncate -s 1M "$WORK/small"

cat > "$WORK/nginx.conf" <<EOF
daemon off; master_process off; worker_processes 1; error_log $WORK/nginx-error.log; pid $WORK/nginx.pid;
events { worker_connections 64; }
http { access_log off; client_body_temp_path $WORK/nginx-body;
  server { listen 127.0.0.1:18471; client_max_body_size 4g; location / { return 200 "ok"; } } }
EOF

rss() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)

# start NAME: starts the server, sets PID and URL
start() {
  local name=$1 port=18471 log="$WORK/$1-$2.log"
  rm -f "$log"
  case "$name" in
    nginx) taskset -c 1 "$NGINX" -c "$WORK/nginx.conf" >"$log" 2>&1 & PID=$! ;;
    sluice-*-up) taskset -c 1 "$JAVA" -XX:ActiveProcessorCount=1 -jar "$WORK/sluice.jar" respond ok \
        --max-body-size 4g --engine "$(echo "$name" | sed 's/^sluice-//; s/-up$//')" --host 127.0.0.1 \
        --port $port >"$log" 2>&1 & PID=$! ;;
    sluice-*-down) taskset -c 1 "$JAVA" -XX:ActiveProcessorCount=1 -cp "$CP" dev.sluice.http.StreamingServerMain \
        "$(echo "$name" | sed 's/^sluice-//; s/-down$//' | tr a-z- A-Z_)" >"$log" 2>&1 & PID=$! ;;
  esac
  PIDS+=("$PID")
  for _ in $(seq 200); do
    if [[ $name == sluice-*-down ]]; then
      port=$(awk '/^port/{print $2}' "$log" 2>/dev/null || true)
      [ -n "$port" ] && break
    elif curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  URL="http://127.0.0.1:$port"
}

# one NAME: one round of one server; appends "name seconds cpu_s rss_growth_kib" to results
one() {
  local name=$1 r0 c0 c1 t0 t1 r1
  start "$name" "$2"
  if [[ $name == *-down ]]; then
    curl -s -o /dev/null "$URL/stream?bytes=1048576"
  else
    curl -s -o /dev/null -T "$WORK/small" "$URL/"
  fi
  r0=$(rss "$PID"); c0=$(cpu "$PID"); t0=$(date +%s.%N)
  if [[ $name == *-down ]]; then
    got=$(taskset -c 0 curl -sS -o /dev/null -w '%{size_download}' "$URL/stream?bytes=$BYTES")
  else
    got=$(taskset -c 0 curl -sS -o /dev/null -w '%{size_upload}' -T "$WORK/big" "$URL/")
  fi
  t1=$(date +%s.%N); c1=$(cpu "$PID"); r1=$(rss "$PID")
  [ "$got" = "$BYTES" ] || { echo "$name moved $got bytes, not $BYTES" >&2; exit 1; }
  kill "$PID"; wait "$PID" 2>/dev/null || true
  echo "$name $(echo "$t1 - $t0" | bc) $(echo "scale=2; ($c1 - $c0) / $ticks" | bc) $((r1 - r0))" >> "$WORK/results"
}

SERVERS=(nginx)
for e in ${ENGINES//,/ }; do SERVERS+=("sluice-$e-up" "sluice-$e-down"); done
: > "$WORK/results"
for round in $(seq "$ROUNDS"); do
  for s in "${SERVERS[@]}"; do
    echo "round $round: $s" >&2
    one "$s" "$round"
  done
done

{
  echo "- command: \`$COMMAND\`; commit $(cd "$ROOT" && git rev-parse --short HEAD); $("$JAVA" -version 2>&1 | head -1);"
  echo "  $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $ROUNDS rounds, medians; ${SIZE_MIB} MiB each way"
  echo
  echo "| server | direction | MB/s | server CPU s | CPU s per GiB | RSS growth (MiB) |"
  echo "|---|---|---|---|---|---|"
  for s in "${SERVERS[@]}"; do
    grep "^$s " "$WORK/results" | sort -k2 -n | awk -v n="$ROUNDS" -v bytes="$BYTES" -v s="$s" '
      { t[NR]=$2; c[NR]=$3; m[NR]=$4 }
      END {
        mid = int((n + 1) / 2); dir = s ~ /-down$/ ? "stream response" : "upload"; name = s
        sub(/-(up|down)$/, "", name)
        printf "| %s | %s | %.0f | %.2f | %.2f | %.1f |\n", name, dir, bytes / t[mid] / 1e6, c[mid],
          c[mid] / (bytes / 1073741824), m[mid] / 1024 }'
  done
} | tee "$WORK/table.md"
echo "raw: $WORK/results" >&2
