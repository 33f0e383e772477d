#!/usr/bin/env bash
# Builds an older commit's cli jar beside the current one, for old-against-new runs in one
# benchmark (bench/run.sh --base REV): the servers base-sluice-* of bench/server.sh run it.
#
#   bench/build-base.sh REV      ->  bench/target/base/sluice.jar (and base/REV, the full hash)
#
# REV is checked out into a temporary git worktree, built there with
# `mvn -B -q -DskipTests -pl cli -am package`, and the worktree removed. Skipped when the jar of
# that commit is there already.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
case " ${MAVEN_OPTS:-} " in
  *sun-misc-unsafe-memory-access*) ;;
  *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
esac

[ $# -eq 1 ] || { echo "usage: bench/build-base.sh REV" >&2; exit 2; }
REV=$(git -C "$ROOT" rev-parse --verify "$1^{commit}" 2>/dev/null) \
  || { echo "build-base.sh: '$1' is not a commit of this repository" >&2; exit 2; }
OUT=$HERE/target/base
if [ -f "$OUT/sluice.jar" ] && [ "$(cat "$OUT/REV" 2>/dev/null)" = "$REV" ]; then
  echo "build-base.sh: up to date: $OUT/sluice.jar ($REV)" >&2
  exit 0
fi

TREE=$(mktemp -d /tmp/sluice-base.XXXXXX)
LOG=$TREE.log
cleanup() { git -C "$ROOT" worktree remove --force "$TREE" >/dev/null 2>&1 || rm -rf "$TREE"; rm -f "$LOG"; }
trap cleanup EXIT
git -C "$ROOT" worktree add -q --detach "$TREE" "$REV"
echo "build-base.sh: mvn package at $REV" >&2
if ! (cd "$TREE" && mvn -B -q -ntp -Dstyle.color=never -DskipTests -pl cli -am package) > "$LOG" 2>&1; then
  tail -30 "$LOG" >&2
  echo "build-base.sh: the build of $REV failed" >&2
  exit 1
fi
mkdir -p "$OUT"
cp "$TREE/cli/target/sluice.jar" "$OUT/sluice.jar"
echo "$REV" > "$OUT/REV"
echo "build-base.sh: $OUT/sluice.jar from $REV" >&2
