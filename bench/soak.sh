#!/usr/bin/env bash
# Soak: mixed load against one `sluice serve` for a set time; fails unless the server stays flat.
# See bench/README.md ("Soak") for what runs, the tolerances and how to read the output.
#
#   bench/soak.sh                          10 minutes on the default engine (event-loop)
#   bench/soak.sh --duration 3m --engine virtual
#   options: --duration 10m  --engine NAME  --warmup 30s  --sample-every 60s  --heap 128m
#            --out FILE (also write the output there)  -- DRIVER-FLAGS (passed to dev.sluice.bench.Soak)
#
# Builds the jars (`mvn -B -q -DskipTests package` from the root), writes the served files into a
# temporary folder, starts `bin/sluice serve` on 127.0.0.1 with a free port, short timeouts and a
# fixed, pre-touched heap, then runs the driver, which warms up, samples the server (RSS, heap after
# a full GC, descriptors, threads) with the load stopped, loads it for --duration with a trend
# line every --sample-every, stops, drains and samples again. Exit code: the driver's (0 flat and
# no failures, 1 not), or 1 if the server died. Stops only the processes it started, by PID.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
# shellcheck source=bin/lib/find-java.sh
. "$ROOT/bin/lib/find-java.sh"
sluice_find_java || exit 1
sluice_quiet_maven
JCMD=$JAVA_HOME/bin/jcmd

DURATION=10m ENGINE=event-loop WARMUP=30s SAMPLE_EVERY=60s HEAP=128m OUT=""
HEADER_TIMEOUT=2s IDLE_TIMEOUT=3s WRITE_TIMEOUT=3s
DRIVER_EXTRA=()
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift ;;
    --engine) ENGINE=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --sample-every) SAMPLE_EVERY=$2; shift ;;
    --heap) HEAP=$2; shift ;;
    --out) OUT=$2; shift ;;
    --) shift; DRIVER_EXTRA=("$@"); break ;;
    *) echo "soak: unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done

echo "soak: building (mvn -B -q -DskipTests package)" >&2
BUILD_LOG=$(mktemp /tmp/sluice-soak-build.XXXXXX)
if ! (cd "$ROOT" && mvn -B -q -DskipTests package > "$BUILD_LOG" 2>&1 </dev/null); then
  grep -v '^WARNING' "$BUILD_LOG" >&2; echo "soak: build failed" >&2; exit 1
fi
rm -f "$BUILD_LOG"
CP="$HERE/target/sluice-bench-0.1.0-SNAPSHOT.jar:$HERE/target/lib/*"

WORK=$(mktemp -d /tmp/sluice-soak.XXXXXX)
SPID="" DPID=""
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then kill "$DPID" 2>/dev/null || true; fi
  if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
    kill "$SPID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SPID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir "$WORK/files"
"$JAVA" -cp "$CP" dev.sluice.bench.Soak --generate "$WORK/files"

SERVER_FLAGS=(--host 127.0.0.1 --port 0 --engine "$ENGINE" --header-timeout "$HEADER_TIMEOUT"
  --idle-timeout "$IDLE_TIMEOUT" --write-timeout "$WRITE_TIMEOUT")
EXPECT_BODY_CUT=false
# A server with a minimum request-body rate cuts a dribbled body; without one, nothing does.
if "$ROOT/bin/sluice" serve --help 2>/dev/null | grep -q -- '--min-body-rate'; then
  EXPECT_BODY_CUT=true
fi

# serve prints a line per request unless --quiet (builds before it have no such line or flag).
if "$ROOT/bin/sluice" serve --help 2>/dev/null | grep -q -- '--quiet'; then
  SERVER_FLAGS+=(--quiet)
fi

# A fixed heap, touched up front: RSS then measures everything but heap growth.
: > "$WORK/server.out"
JDK_JAVA_OPTIONS="-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch -XX:+UseG1GC" \
  "$ROOT/bin/sluice" serve "${SERVER_FLAGS[@]}" "$WORK/files" \
  > "$WORK/server.out" 2> "$WORK/server.err" < /dev/null &
SPID=$!
PORT=""
for _ in $(seq 1 300); do
  PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$WORK/server.out")
  [ -n "$PORT" ] && break
  kill -0 "$SPID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "soak: the server did not start" >&2; cat "$WORK/server.out" "$WORK/server.err" >&2; exit 1
fi

{
  echo "soak: $(date -u +%Y-%m-%dT%H:%M:%SZ) commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$("$JAVA" -version 2>&1 | head -n 1)," \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) cores"
  echo "soak: server pid $SPID: bin/sluice serve ${SERVER_FLAGS[*]} (heap $HEAP, G1, pre-touched);" \
    "expect dribbled bodies cut: $EXPECT_BODY_CUT"
} | tee "$WORK/soak.out"

# In the background, so the trap can stop it by PID; its output goes through tee.
"$JAVA" -cp "$CP" dev.sluice.bench.Soak --port "$PORT" --server-pid "$SPID" --dir "$WORK/files" \
  --jcmd "$JCMD" --warmup "$WARMUP" --duration "$DURATION" --sample-every "$SAMPLE_EVERY" \
  --header-timeout "$HEADER_TIMEOUT" --idle-timeout "$IDLE_TIMEOUT" --write-timeout "$WRITE_TIMEOUT" \
  --expect-body-cut "$EXPECT_BODY_CUT" ${DRIVER_EXTRA[@]+"${DRIVER_EXTRA[@]}"} \
  < /dev/null > >(tee -a "$WORK/soak.out") 2>&1 &
DPID=$!
RC=0
wait "$DPID" || RC=$?
DPID=""

if ! kill -0 "$SPID" 2>/dev/null; then
  echo "soak: FAIL: the server (pid $SPID) died; its stderr:" | tee -a "$WORK/soak.out"
  tail -n 40 "$WORK/server.err" | tee -a "$WORK/soak.out"
  RC=1
fi
# Peer resets and timeouts log at DEBUG; anything at WARNING or above is worth a look.
WARNINGS=$(grep -c -E ' (WARNING|ERROR) ' "$WORK/server.err" || true)
echo "soak: server log: $WARNINGS lines at WARNING or ERROR (in $WORK/server.err)" | tee -a "$WORK/soak.out"
grep -E ' (WARNING|ERROR) ' "$WORK/server.err" | head -n 5 | tee -a "$WORK/soak.out" || true
sleep 0.2   # let tee finish
[ -n "$OUT" ] && cp "$WORK/soak.out" "$OUT"
echo "soak: output in $WORK/soak.out" >&2
exit "$RC"
