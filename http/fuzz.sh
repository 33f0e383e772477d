#!/usr/bin/env bash
# fuzz.sh [SECONDS | --minutes N]: fuzzes the HTTP request decoder (HttpParserFuzzTest) with Jazzer
# for SECONDS (default 120) or N minutes, then stops by itself. Either way it is bounded: at most
# 60 minutes.
#
#   - The working corpus lives in the repository, in http/fuzz-corpus/: each run starts from it and
#     libFuzzer adds there every input that reaches new code. Commit what a run added, the small
#     files at least: libFuzzer keeps the longer input it later reduced, and of a 5-minute run the
#     files over 1 KiB were few (16 of 1212) and mostly such leftovers.
#   - An input that breaks an oracle (a crash) is written to the regression corpus,
#     src/test/resources/dev/sluice/http/HttpParserFuzzTestInputs/decodesAnyBytesSafely/, as
#     crash-<sha1>, so `mvn verify` replays it from then on; the run then fails with its trace.
#   - libFuzzer prints its progress lines (#execs, cov:, ft:, corp:, exec/s) on stderr, and a
#     summary at the end (stat::number_of_executed_units, stat::peak_rss_mb).
#
# Builds core and http through the reactor (`mvn -pl http -am test`, core's tests skipped): it
# installs nothing into the local repository. Uses the JDK that bin/test would (JAVA_HOME if it is
# 21+, else the newest under /usr/lib/jvm). Extra Maven options may follow, e.g. `-o`.
set -euo pipefail

usage() {
    echo "usage: fuzz.sh [SECONDS | --minutes N] [MAVEN_OPTION...]" >&2
    exit 2
}
seconds=120
case ${1:-} in
    --minutes)
        case ${2:-} in
            '' | *[!0-9]*) usage ;;
        esac
        seconds=$(($2 * 60))
        shift 2
        ;;
    --* | -*) ;;
    '') ;;
    *[!0-9]*) usage ;;
    *) seconds=$1; shift ;;
esac
if [ "$seconds" -lt 1 ] || [ "$seconds" -gt 3600 ]; then
    echo "fuzz.sh: between 1 second and 60 minutes, please" >&2
    exit 2
fi
http=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$http")
if [ -r "$root/bin/lib/find-java.sh" ]; then
    # shellcheck source=../bin/lib/find-java.sh
    . "$root/bin/lib/find-java.sh"
    sluice_find_java || exit 1
    sluice_quiet_maven
fi

corpus=$http/fuzz-corpus
mkdir -p "$corpus"
before=$(find "$corpus" -type f | wc -l)
cd "$root"
# JAZZER_FUZZ turns the @FuzzTest from replaying its inputs into fuzzing; JAZZER_MAX_DURATION
# overrides its maxDuration. jazzerHooks=true puts back the instrumentation that pom.xml leaves
# out of plain test runs. jazzer.internal.arg.* are libFuzzer's arguments (0 is argv[0]): the first
# directory is where it reads and writes the inputs it keeps, -dict= gives the mutator HTTP's
# tokens. The -Dtest filter leaves core with no test to run.
status=0
JAZZER_FUZZ=1 JAZZER_MAX_DURATION=${seconds}s mvn -B -ntp -pl http -am test "$@" \
    -Dtest=HttpParserFuzzTest -Dsurefire.failIfNoSpecifiedTests=false -DjazzerHooks=true \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$corpus" \
    -Djazzer.internal.arg.2=-max_len=$((16 * 1024 + 10)) \
    -Djazzer.internal.arg.3=-dict="$http/src/test/resources/dev/sluice/http/HttpParserFuzzTest.dict" \
    -Djazzer.internal.arg.4=-print_final_stats=1 \
    </dev/null || status=$?
after=$(find "$corpus" -type f | wc -l)
echo "fuzz.sh: ${seconds}s; corpus $before -> $after inputs in ${corpus#"$root"/}; exit $status" >&2
exit "$status"
