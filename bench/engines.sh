#!/usr/bin/env bash
# Measures Sluice's five engines on the echo protocol, a blocking (sleeping) handler and idle
# connections, for the README's "when to pick which engine". See bench/README.md for what each
# number means; the method follows shared/BENCHMARKING.md.
#
#   bench/engines.sh            3 interleaved rounds, 10 s windows: ~17 min, plus ~13 s for each
#                               stalled window measured again (see load())
#   bench/engines.sh --rounds 2 ~12 min: the minimum that still interleaves
#   bench/engines.sh --quick    1 round, short windows, 2,000 idle connections (~4 min): a smoke test
#   options: --rounds N  --out FILE  --idle N
#
# Server: BenchServer pinned to core 1 (taskset -c 1, -XX:ActiveProcessorCount=1); load generator
# and jcmd on core 0. Traffic goes to 127.0.0.1 only. Writes bench/results/engines-<date>.md.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
JCMD=$JAVA_HOME/bin/jcmd
COMMAND="bench/engines.sh $*"

ROUNDS=3 QUICK=0 IDLE_N=5000 OUT=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1; ROUNDS=1; IDLE_N=2000 ;;
    --rounds) ROUNDS=$2; shift ;;
    --idle) IDLE_N=$2; shift ;;
    --out) OUT=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ $QUICK = 1 ]; then
  WARM_FIRST=3s WARM=1s WARM_SLEEP=2s DUR=4s
else
  # The first window on a fresh server also warms the JIT; echo at 1,000 connections follows echo
  # at 64 on the same, warm server.
  WARM_FIRST=8s WARM=3s WARM_SLEEP=5s DUR=10s
fi
MAX_RETRIES=2 STALL_BUSY=0.80   # see load()
[ $QUICK = 1 ] && MAX_RETRIES=1
POOL_THREADS=200   # pool and thread-per-connection: their derived default on 2 cores
SLEEP_MS=2
SERVER_FLAGS=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:ActiveProcessorCount=1)
CLIENT_FLAGS=(-Xms1g -Xmx1g -XX:+UseParallelGC)
DATE=$(date -u +%Y-%m-%d)
if [ -z "$OUT" ]; then
  OUT=$HERE/results/engines-$DATE.md
  [ $QUICK = 1 ] && OUT=$HERE/results/engines-$DATE-quick.md
fi

echo "building bench" >&2
BUILD_LOG=$(mktemp /tmp/sluice-bench-build.XXXXXX)
if ! (cd "$ROOT" && JAVA_HOME=$JAVA_HOME mvn -B -q -pl bench package > "$BUILD_LOG" 2>&1); then
  grep -v '^WARNING' "$BUILD_LOG" >&2; echo "build failed" >&2; exit 1
fi
CP="$HERE/target/sluice-bench-0.1.0-SNAPSHOT.jar:$HERE/target/lib/*"

WORK=$(mktemp -d /tmp/sluice-engines.XXXXXX)
RAW=$WORK/raw.tsv
STALLED=$WORK/stalled.tsv
: > "$RAW"; : > "$STALLED"
SPID="" LPID=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  [ -n "$LPID" ] && kill "$LPID" 2>/dev/null || true
  [ -n "$SPID" ] && kill "$SPID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
START=$(date +%s)
NSERVER=0

# start_server ENGINE HANDLER [THREADS]: sets SPID and SPORT.
start_server() {
  local engine=$1 handler=$2 threads=${3:-0}
  NSERVER=$((NSERVER + 1))
  SLOG=$WORK/server-$NSERVER-$engine-$handler
  : > "$SLOG.out"   # exists before the background job opens it: the wait loop reads it at once
  taskset -c 1 "$JAVA" "${SERVER_FLAGS[@]}" -cp "$CP" dev.sluice.bench.BenchServer \
    --engine "$engine" --handler "$handler" --threads "$threads" --sleep-ms $SLEEP_MS \
    --max-connections 10000 > "$SLOG.out" 2> "$SLOG.err" &
  SPID=$!
  for _ in $(seq 100); do
    SPORT=$(awk '/^port /{print $2}' "$SLOG.out" 2>/dev/null || true)
    [ -n "$SPORT" ] && return 0
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.2
  done
  echo "server $engine/$handler did not start:" >&2; cat "$SLOG.err" >&2; exit 1
}

stop_server() {
  kill -TERM "$SPID"
  wait "$SPID" || true   # 143: ended by SIGTERM after its shutdown hook ran
  printf '%s\t%s\n' "$(basename "$SLOG")" "$(grep -h '^shutdown' "$SLOG.err" || echo 'no shutdown line')" >> "$WORK/shutdown.txt"
  SPID=""
}

# load ROUND LABEL WORKLOAD ARGS...: one closed-loop run against the running server. An echo
# window in which every connection was served and yet neither core got busy is a stall of the
# machine (BENCHMARKING.md: "sometimes every server at half speed"), not a property of the engine:
# it is set aside (listed in the results file) and measured again, at most MAX_RETRIES times.
load() {
  local round=$1 label=$2 workload=$3; shift 3
  local attempt out result extra=()
  for attempt in $(seq 0 "$MAX_RETRIES"); do
    out=$WORK/load-$round-${label// /_}-$workload-$attempt.txt
    taskset -c 0 "$JAVA" "${CLIENT_FLAGS[@]}" -cp "$CP" dev.sluice.bench.Load \
      --port "$SPORT" --server-pid "$SPID" "$@" "${extra[@]}" > "$out" 2> "$out.err" || true
    result=$(grep '^result' "$out" | sed 's/^result //')
    if [ -z "$result" ]; then
      echo "  load $label $workload failed:" >&2; tail -5 "$out.err" >&2; return 0
    fi
    printf '  %-34s %-9s %s\n' "$label" "$workload" "$(grep -E '^(requests|server cpu)' "$out" | tr '\n' ' ')" >&2
    if [ "$attempt" -lt "$MAX_RETRIES" ] && [[ $workload == echo* ]] && stalled "$result"; then
      printf '%s\t%s\t%s\t%s\n' "$round" "$label" "$workload" "$result" >> "$STALLED"
      echo "    stalled: neither core reached $STALL_BUSY of its time busy; measuring again" >&2
      extra=(--warmup 2s)
      continue
    fi
    printf '%s\t%s\t%s\t%s retries=%s\n' "$round" "$label" "$workload" "$result" "$attempt" >> "$RAW"
    return 0
  done
}

# stalled RESULT: every connection served, yet neither the server's nor the client's core busy.
stalled() {
  echo "$1" | awk -v m="$STALL_BUSY" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END { exit !(v["served"] == v["connections"] && v["server_util"] < m && v["client_util"] < m) }'
}

# mem PID: "rss_kb threads heap_kb" after two full GCs.
mem() {
  taskset -c 0 "$JCMD" "$1" GC.run > /dev/null
  taskset -c 0 "$JCMD" "$1" GC.run > /dev/null
  local heap rss threads
  # Old generation only: a full ParallelGC leaves the young one empty, and what lands there
  # afterwards is jcmd's own attach (up to 5 MiB), not the server's.
  heap=$(taskset -c 0 "$JCMD" "$1" GC.heap_info | awk '/^ *ParOldGen/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); s += v } } END { print s }')
  rss=$(awk '/^VmRSS/{print $2}' /proc/"$1"/status)
  threads=$(awk '/^Threads/{print $2}' /proc/"$1"/status)
  echo "$rss $threads $heap"
}

# idle ROUND LABEL ENGINE THREADS: memory and threads per idle connection.
idle() {
  local round=$1 label=$2 engine=$3 threads=$4
  start_server "$engine" echo "$threads"
  sleep 1
  read -r rss0 thr0 heap0 < <(mem "$SPID")
  local fifo=$WORK/idle.fifo out=$WORK/idle-$round-${label// /_}.txt
  rm -f "$fifo"; mkfifo "$fifo"
  taskset -c 0 "$JAVA" "${CLIENT_FLAGS[@]}" -cp "$CP" dev.sluice.bench.Load --port "$SPORT" \
    --idle "$IDLE_N" --connect-timeout 2s --exchange-timeout 3s < "$fifo" > "$out" 2> "$out.err" &
  LPID=$!
  exec 3> "$fifo"
  for _ in $(seq 300); do
    grep -q '^ready' "$out" && break
    kill -0 "$LPID" 2>/dev/null || break
    sleep 0.2
  done
  sleep 1
  read -r rss1 thr1 heap1 < <(mem "$SPID")
  exec 3>&-
  wait "$LPID" || true
  LPID=""
  local ready
  ready=$(grep '^ready' "$out" | sed 's/^ready //')
  printf '%s\t%s\tidle\tasked=%s %s rss_base_kb=%s rss_kb=%s threads_base=%s threads=%s heap_base_kb=%s heap_kb=%s\n' \
    "$round" "$label" "$IDLE_N" "$ready" "$rss0" "$rss1" "$thr0" "$thr1" "$heap0" "$heap1" >> "$RAW"
  printf '  %-34s idle      %s heap %s->%s KiB, rss %s->%s KiB, threads %s->%s\n' "$label" "$ready" \
    "$heap0" "$heap1" "$rss0" "$rss1" "$thr0" "$thr1" >&2
  stop_server
}

# One engine's full set: echo at 64 and 1,000 connections, the sleeping handler, idle connections.
engine_set() {
  local round=$1 engine=$2 threads=0
  case $engine in pool|thread-per-connection) threads=$POOL_THREADS ;; esac
  start_server "$engine" echo $threads
  load "$round" "$engine" echo64 --connections 64 --warmup $WARM_FIRST --duration $DUR --payload 64
  load "$round" "$engine" echo1000 --connections 1000 --warmup $WARM --duration $DUR --payload 64
  stop_server
  start_server "$engine" sleep $threads
  load "$round" "$engine" sleep200 --connections 200 --warmup $WARM_SLEEP --duration $DUR --payload 64 --protocol framed
  stop_server
  idle "$round" "$engine" "$engine" $threads
}

# Event-loop with the echo handler not declared non-blocking: a virtual thread per request.
offloaded() {
  local round=$1
  start_server event-loop echo-offloaded
  load "$round" "event-loop echo-offloaded" echo64 --connections 64 --warmup $WARM_FIRST --duration $DUR --payload 64
  load "$round" "event-loop echo-offloaded" echo1000 --connections 1000 --warmup $WARM --duration $DUR --payload 64
  stop_server
}

# Illustrations, run in the first round only (they compare nothing, and their numbers do not
# drift): the sleeping handler wrongly declared non-blocking, which runs on the loop thread, and
# thread-per-connection given a thread for every idle connection.
illustrations() {
  local round=$1
  start_server event-loop sleep-inline
  load "$round" "event-loop sleep-inline" sleep200 --connections 200 --warmup $WARM_SLEEP --duration $DUR --payload 64 --protocol framed
  stop_server
  idle "$round" "thread-per-connection threads=$IDLE_N" thread-per-connection "$IDLE_N"
}

ENGINES=(sequential thread-per-connection pool virtual event-loop)
for round in $(seq "$ROUNDS"); do
  # Interleave: every engine once per round, the order reversed on even rounds against drift.
  order=("${ENGINES[@]}")
  if [ $((round % 2)) = 0 ]; then order=(); for ((i=${#ENGINES[@]}-1; i>=0; i--)); do order+=("${ENGINES[$i]}"); done; fi
  echo "round $round of $ROUNDS ($(( $(date +%s) - START )) s elapsed)" >&2
  for engine in "${order[@]}"; do
    engine_set "$round" "$engine"
  done
  offloaded "$round"
  if [ "$round" = 1 ]; then illustrations "$round"; fi
done
ELAPSED=$(( $(date +%s) - START ))

# ---- the results file ----
mkdir -p "$(dirname "$OUT")"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
DIRTY=$(git -C "$ROOT" status --porcelain -- core | wc -l)
CORE_JAR=$(ls "$HERE"/target/lib/sluice-core-*.jar)
JDK=$("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')
CPU=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
{
  echo "# Engines: echo, a blocking handler, idle connections ($DATE)"
  echo
  echo "- commit: \`$COMMIT\`$( [ "$DIRTY" != 0 ] && echo " (core/ had $DIRTY uncommitted changes)" ); sluice-core jar: $(basename "$CORE_JAR"), sha256 \`$(sha256sum "$CORE_JAR" | cut -c1-12)\`, built $(date -u -r "$CORE_JAR" '+%Y-%m-%d %H:%M UTC') (from ~/.m2)"
  echo "- JDK: $JDK"
  echo "- CPU: $CPU, $(nproc) cores; Linux $(uname -r); net.core.somaxconn=$(cat /proc/sys/net/core/somaxconn)"
  echo "- command: \`$COMMAND\` ($ROUNDS round(s), $ELAPSED s)"
  echo "- server: \`taskset -c 1 java ${SERVER_FLAGS[*]} dev.sluice.bench.BenchServer --engine E --handler H --threads T --max-connections 10000\`;"
  echo "  threads=$POOL_THREADS for pool and thread-per-connection, 0 (derived: 1 loop) for event-loop; all other settings ServerConfig defaults."
  echo "  ParallelGC because with one CPU the JVM would otherwise pick Serial; a pre-touched 1 GiB heap so that RSS growth is off-heap growth."
  echo "- load: \`taskset -c 0 java ${CLIENT_FLAGS[*]} dev.sluice.bench.Load --connections C --warmup W --duration $DUR --payload 64\`,"
  echo "  W = $WARM_FIRST on the first window of a fresh server (JIT warm-up), $WARM for echo at 1,000 on the same server, $WARM_SLEEP for the sleep handler's fresh server. Closed loop on virtual threads: each connection"
  echo "  sends 64 bytes and waits for all 64 back. **Latencies are closed-loop** (coordinated omission: they understate what an"
  echo "  open-loop client at the same rate would see) and cover answered requests only; starved connections show in *conns served*."
  echo "- server CPU µs/req: utime+stime of the server process from /proc/PID/stat across the measured window, divided by the"
  echo "  requests answered in it. *Core busy* is CPU seconds / wall seconds (1 core = 100%). Loopback TCP work done in the"
  echo "  sender's context is charged to the client, so neither side's CPU is the whole cost of a request."
  echo "- stalls: an echo window where every connection was served yet neither core reached $(awk -v m=$STALL_BUSY 'BEGIN{print m*100}')% busy is set aside and"
  echo "  measured again (at most $MAX_RETRIES times; warm-up 2s); the set-aside windows are listed at the end, the retries per round in the tables."
  echo "- medians over $ROUNDS round(s) (with 2 rounds: the mean of the two), engines interleaved, order reversed on even rounds;"
  echo "  *sleep-inline* and *thread-per-connection threads=$IDLE_N* are illustrations, run in round 1 only."
  echo
  "$JAVA" -cp "$CP" dev.sluice.bench.Report "$RAW"
  echo "### Set aside: echo windows in which the machine stalled (measured again; see load() in engines.sh)"
  echo
  echo '```'
  cat "$STALLED"
  echo '```'
  echo
  echo "### Every run kept"
  echo
  echo '```'
  cat "$RAW"
  echo '```'
  echo
  echo "### Server stats at shutdown"
  echo
  echo '```'
  cat "$WORK/shutdown.txt"
  echo '```'
  echo
  echo "### Server stderr, all servers: distinct lines by count (startup report included)"
  echo
  echo '```'
  cat "$WORK"/server-*.err | grep -v '^shutdown clean' | sed -E 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/; s/(^|[^a-z])conn=[0-9]+/\1conn=N/' \
    | sort | uniq -c | sort -rn | head -60
  echo '```'
} > "$OUT"
echo "wrote $OUT (work files in $WORK)" >&2
