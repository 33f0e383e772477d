#!/usr/bin/env bash
# Builds everything bench/server.sh runs, and nothing more; skips each part that is up to date.
#
#   bench/build.sh
#
#   cli/target/sluice.jar              `mvn -B -q -DskipTests package` from the root (never install)
#   bench/target/sluice-bench-*.jar    `mvn -B -q -DskipTests -pl bench -am package`, which also
#   bench/target/lib/*                   copies the peers' dependencies (Netty, Undertow, Jetty, Helidon)
#   bench/target/c-epoll               `gcc -O2` of bench/c/epoll_server.c
#
# A jar is rebuilt when it is missing or older than a pom.xml or a file under */src/main; the C
# server when older than its source. Maven output goes to stderr only when the build fails.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# JDK 24+ warns about sun.misc.Unsafe in Maven's own libraries; silence that.
case " ${MAVEN_OPTS:-} " in
  *sun-misc-unsafe-memory-access*) ;;
  *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
esac

CLI_JAR=$ROOT/cli/target/sluice.jar
BENCH_JAR=$HERE/target/sluice-bench-0.1.0-SNAPSHOT.jar
C_BIN=$HERE/target/c-epoll
C_SRC=$HERE/c/epoll_server.c

# stale FILE: FILE is missing or older than a pom.xml or a file under a module's src/main.
stale() {
  [ -f "$1" ] || return 0
  [ -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$1" -print -quit 2>/dev/null)" ]
}

maven() {
  local log
  log=$(mktemp /tmp/sluice-bench-build.XXXXXX)
  echo "build.sh: mvn $*" >&2
  if ! (cd "$ROOT" && mvn -B -q -DskipTests "$@" > "$log" 2>&1); then
    cat "$log" >&2
    rm -f "$log"
    echo "build.sh: mvn $* failed" >&2
    exit 1
  fi
  rm -f "$log"
}

if stale "$CLI_JAR"; then
  maven package   # the whole reactor: the cli jar, and the bench jar and lib with it
  touch "$CLI_JAR" "$BENCH_JAR"
elif stale "$BENCH_JAR"; then
  maven -pl bench -am package
  touch "$BENCH_JAR"
fi

if [ ! -x "$C_BIN" ] || [ "$C_SRC" -nt "$C_BIN" ]; then
  echo "build.sh: gcc -O2 $C_SRC" >&2
  mkdir -p "$(dirname "$C_BIN")"
  gcc -O2 -Wall -Wextra -o "$C_BIN" "$C_SRC"
fi
echo "build.sh: up to date: $CLI_JAR, $BENCH_JAR (+ lib/), $C_BIN" >&2
