#!/usr/bin/env bash
# fuzz.sh [SECONDS]: fuzzes the HTTP request decoder (HttpParserFuzzTest) with Jazzer for SECONDS
# (default 120), then stops by itself.
#
#   - Inputs that reach new code go to http/target/fuzz-corpus/ (scratch: later runs start from it,
#     mvn clean drops it). Copy the few worth keeping, minimized, into the regression corpus below.
#   - An input that breaks an oracle (a crash) is written to the regression corpus,
#     src/test/resources/dev/sluice/http/HttpParserFuzzTestInputs/decodesAnyBytesSafely/, as
#     crash-<sha1>, so `mvn verify` replays it from then on; the run then fails with its trace.
#   - libFuzzer prints its progress lines (#execs, cov:, ft:, corp:, exec/s) on stderr.
#
# Installs sluice-core into the local repository, then runs `mvn -f http/pom.xml test`. Uses the JDK that
# bin/test would (JAVA_HOME if it is 21+, else the newest under /usr/lib/jvm).
set -euo pipefail

seconds=${1:-120}
case $seconds in
    '' | *[!0-9]*) echo "usage: fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
http=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$http")
if [ -r "$root/bin/lib/find-java.sh" ]; then
    # shellcheck source=../bin/lib/find-java.sh
    . "$root/bin/lib/find-java.sh"
    sluice_find_java || exit 1
    sluice_quiet_maven
fi

# The fuzz run builds http alone, so core must be in the local repository first.
(cd "$root" && mvn -q -B -ntp install -pl core -DskipTests) || exit 1

corpus=$http/target/fuzz-corpus
mkdir -p "$corpus"
cd "$http"
# JAZZER_FUZZ turns the @FuzzTest from replaying its inputs into fuzzing; JAZZER_MAX_DURATION
# overrides its maxDuration. jazzerHooks=true puts back the instrumentation that pom.xml leaves
# out of plain test runs. jazzer.internal.arg.* are libFuzzer's arguments (0 is argv[0]): the first
# directory is where it writes the inputs it keeps, -dict= gives the mutator HTTP's tokens.
JAZZER_FUZZ=1 JAZZER_MAX_DURATION=${seconds}s exec mvn -B -ntp -f "$http/pom.xml" test \
    -Dtest=HttpParserFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -DjazzerHooks=true \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$corpus" \
    -Djazzer.internal.arg.2=-max_len=$((16 * 1024 + 10)) \
    -Djazzer.internal.arg.3=-dict="$http/src/test/resources/dev/sluice/http/HttpParserFuzzTest.dict" \
    </dev/null
