#!/usr/bin/env bash
# The benchmark suite of issue 5: eight scenarios over loopback, Sluice's engines against peer
# servers (bench/server.sh), writing docs/benchmarks.md with SVG charts and printing one table.
# Method: shared/BENCHMARKING.md; what each number means: bench/README.md.
#
#   bench/run.sh                 everything, 3 interleaved rounds of scenarios 1-4 (budget ~20 min)
#   bench/run.sh --quick         one short round of the headline servers: a smoke test
#   options: --rounds N  --scenarios 1,2,...  --servers a,b,...  --rate R  --out FILE  --work DIR
#            --warm S (seconds of keep-alive JIT warm-up per server start; default 2)
#            --no-build (use what bench/build.sh built last)
#            --base REV   also build commit REV's cli jar (bench/target/base/sluice.jar): the servers
#                         base-sluice-virtual and base-sluice-event-loop run it, old beside new
#
# Server on core 1, load generators on core 0 (taskset). Raw per-window results stay in the work
# directory (printed at the end); `python3 bench/harness/report.py DIR --out FILE` regenerates the
# doc from them. Every process started is stopped by PID on exit, Ctrl-C or failure.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/driver.sh"
ROOT=$(dirname "$HERE")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
COMMAND="bench/run.sh $*"

BUILD=1 OUT=$ROOT/docs/benchmarks.md ARGS=() BASE=""
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) BUILD=0 ;;
    --out) OUT=$2; shift ;;
    --rounds|--scenarios|--servers|--rate|--work|--warm) ARGS+=("$1" "$2"); shift ;;
    --quick) ARGS+=(--quick) ;;
    --base) BASE=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

# The load generator and the peers from Debian; installed when missing and we may (root, apt).
missing=()
for pair in wrk:wrk taskset:util-linux python3:python3 nginx:nginx-light gcc:gcc ss:iproute2; do
  command -v "${pair%%:*}" > /dev/null || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "installing ${missing[*]} (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } < /dev/null > /dev/null \
      || { echo "bench/run.sh: apt-get could not install ${missing[*]}" >&2; exit 1; }
  else
    echo "bench/run.sh needs ${missing[*]}: install them (apt-get install ${missing[*]})" >&2; exit 1
  fi
fi
if [ "$(nproc)" -lt 2 ]; then
  echo "bench/run.sh pins the server and the load generator to cores 0 and 1: needs 2 cores" >&2; exit 1
fi

if [ $BUILD = 1 ]; then
  build_bench
fi

if [ -n "$BASE" ]; then
  echo "building $BASE's cli jar (bench/build-base.sh)" >&2
  "$HERE/build-base.sh" "$BASE" || exit 1
  ARGS+=(--base "$(git -C "$ROOT" rev-parse --short "$BASE")")
fi

cd "$ROOT"
drive run "$HERE/harness/run.py" --command "$COMMAND" "${ARGS[@]}"
if [ -n "$BASE" ]; then
  # An old-against-new run is its own page: it leaves docs/benchmarks.md as it is by default.
  [ "$OUT" = "$ROOT/docs/benchmarks.md" ] && OUT=$WORK/compare.md
  python3 "$HERE/harness/compare.py" "$WORK" --out "$OUT"
else
  python3 "$HERE/harness/report.py" "$WORK" --out "$OUT"
fi
echo "raw results and server logs: $WORK" >&2
