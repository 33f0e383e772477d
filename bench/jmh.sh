#!/usr/bin/env bash
# jmh.sh: runs the JMH microbenchmarks of the hot paths (HttpCodecBenchmark: the HTTP/1.1 codec;
# ResponseWriterBenchmark: encoding responses; DeadlineSweepBenchmark: the timeout sweeps),
# pinned to one core as BENCHMARKING.md asks. Builds the bench module first. Arguments go to JMH:
#
#   bench/jmh.sh                              every benchmark, JMH's defaults from the annotations
#   bench/jmh.sh HttpCodecBenchmark -f 1      one class, one fork
set -euo pipefail
bench=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$bench")
# shellcheck source=../bin/lib/find-java.sh
. "$root/bin/lib/find-java.sh"
sluice_find_java || exit 1
sluice_quiet_maven
(cd "$root" && mvn -q -B -DskipTests package -pl bench -am) >&2
cd "$bench"
exec taskset -c 1 "$JAVA" -cp "target/sluice-bench-0.1.0-SNAPSHOT.jar:target/lib/*" org.openjdk.jmh.Main "$@"
