#!/usr/bin/env bash
# HTTPS benchmarks (issue 15): Sluice's event-loop and virtual engines against nginx and Netty with
# the JDK's and OpenSSL's TLS, the same ECDSA P-256 certificate and TLSv1.3 for all, side by side in
# one run: keep-alive requests, full handshakes, resumed handshakes, a 1 MiB file. Writes a markdown
# section for docs/benchmarks.md. Method: shared/BENCHMARKING.md; details: bench/README.md.
#
#   bench/tls.sh                  3 interleaved rounds of the 4 scenarios on 5 servers (~7.5 min)
#   bench/tls.sh --profile 20     the same, then 20 s of full handshakes on sluice-event-loop under JFR
#                                 (~40 s more)
#   bench/tls.sh --scenarios none --profile 20 [--profile-scenario 1|2|4] [--profile-server NAME]
#                                 only the profile (scenario 2's load by default)
#   bench/tls.sh --quick          one short round: a smoke test (~2 min)
#   options: --rounds N  --window S  --warm S (each scenario's load before its window)  --procs N (s_time processes, default 2)  --scenarios 1,2,3,4|none
#            --servers a,b,...  --profile S  --profile-server NAME  --profile-scenario 1|2|4
#            --out FILE (default WORK/tls.md)  --doc docs/benchmarks.md (also put the section there and
#            in bench/doc/tls.md, which bench/run.sh's report keeps)
#            --work DIR  --no-build (use what bench/build.sh built last)
#
# Server on core 1, clients on core 0 (taskset). Sluice runs from a copy of cli/target/sluice.jar
# taken at the start, so a rebuild meanwhile does not change it. Raw results stay in the work directory
# (printed at the end); `python3 bench/harness/tls_report.py DIR --out FILE` rewrites the section.
# Every process started is stopped by PID on exit, Ctrl-C or failure.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/driver.sh"
ROOT=$(dirname "$HERE")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
COMMAND="bench/tls.sh $*"

BUILD=1 OUT="" DOC="" ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) BUILD=0 ;;
    --out) OUT=$(realpath -m "$2"); shift ;;
    --doc) DOC=$(realpath -m "$2"); shift ;;
    --rounds|--window|--warm|--procs|--scenarios|--servers|--profile|--profile-server|--profile-scenario|--work) ARGS+=("$1" "$2"); shift ;;
    --quick) ARGS+=(--quick) ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see bench/tls.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

missing=()
for tool in wrk openssl nginx taskset python3; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench/tls.sh needs ${missing[*]} (apt-get install wrk openssl nginx-light util-linux python3)" >&2; exit 1
fi
if [ "$(nproc)" -lt 2 ]; then
  echo "bench/tls.sh pins the server and the clients to cores 1 and 0: needs 2 cores" >&2; exit 1
fi

if [ $BUILD = 1 ]; then
  build_bench
fi

cd "$ROOT"
drive tls "$HERE/harness/tls.py" --command "$COMMAND" "${ARGS[@]}"
python3 "$HERE/harness/tls_report.py" "$WORK" ${OUT:+--out "$OUT"} ${DOC:+--doc "$DOC"}
echo "raw results and server logs: $WORK" >&2
