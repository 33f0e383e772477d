# shellcheck shell=bash
# Finds a JDK >= 21 for bin/sluice and bin/test. Sourced, not run: it defines functions only.
#
#   sluice_find_java   sets JAVA_HOME and JAVA (its bin/java) and returns 0, or prints one line
#                      on stderr and returns 1
#   sluice_quiet_maven adds to MAVEN_OPTS what keeps Maven quiet on that JDK and colourless
#   sluice_mvn ARGS    runs `mvn -B ARGS`: batch mode, no colour, no stray escape sequences
#
# Where it looks: $JAVA_HOME if it is a JDK >= 21; else the newest JDK >= 21 among those under
# /usr/lib/jvm and the one of `javac` on the PATH. A JDK is a directory with bin/java and
# bin/javac (the launcher may have to build); its version comes from its `release` file, or
# from `java -version` when that file is missing.

SLUICE_MIN_JAVA=21

# Prints the version of the JDK at $1 (25.0.1, 21.0.5, 1.8.0_292), or fails if it is none.
sluice_java_version() {
    local home=$1 v=
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
    if [ -r "$home/release" ]; then
        v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [ -z "$v" ]; then
        v=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    [ -n "$v" ] || return 1
    printf '%s\n' "$v"
}

# Prints the feature release of a version string: 25 for 25.0.1, 8 for 1.8.0_292.
sluice_java_major() {
    local v=$1
    case $v in
        1.*) v=${v#1.} ;;
    esac
    v=${v%%[!0-9]*}
    printf '%s\n' "${v:-0}"
}

sluice_find_java() {
    local home v found='' candidates=()
    if [ -n "${JAVA_HOME:-}" ] && v=$(sluice_java_version "$JAVA_HOME") \
            && [ "$(sluice_java_major "$v")" -ge "$SLUICE_MIN_JAVA" ]; then
        found=$JAVA_HOME
    else
        for home in /usr/lib/jvm/*; do
            [ -d "$home" ] && candidates+=("$home")
        done
        if command -v javac >/dev/null 2>&1; then
            home=$(readlink -f "$(command -v javac)" 2>/dev/null) && candidates+=("${home%/bin/javac}")
        fi
        # "VERSION<tab>HOME" for each JDK that is new enough; the highest version wins (sort -V
        # puts 21.0.10 after 21.0.9).
        found=$(
            for home in ${candidates[@]+"${candidates[@]}"}; do
                v=$(sluice_java_version "$home") || continue
                if [ "$(sluice_java_major "$v")" -ge "$SLUICE_MIN_JAVA" ]; then
                    printf '%s\t%s\n' "$v" "$home"
                fi
            done | sort -t "$(printf '\t')" -k1,1V -s | tail -n 1 | cut -f 2-
        )
    fi
    if [ -z "$found" ]; then
        echo "sluice: no JDK >= $SLUICE_MIN_JAVA found (looked at JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm/*, javac on PATH); install one, e.g. apt-get install openjdk-21-jdk-headless, or set JAVA_HOME" >&2
        return 1
    fi
    JAVA_HOME=$found
    # shellcheck disable=SC2034 # for the scripts that source this file
    JAVA=$found/bin/java
    export JAVA_HOME
}

# Maven 3.8 and 3.9 use sun.misc.Unsafe through Guava, and JDK 24+ warns about that in four lines
# on every build; allowing it (an option of JDK 23+) silences them. Maven 3.8's jansi writes a
# reset sequence (ESC[0m) on each stream at exit even in batch mode with colour off, so a build's
# output is never clean text; jansi.noreset stops that (it must be a JVM option: `mvn -D` comes
# too late). Call after sluice_find_java.
sluice_quiet_maven() {
    local v
    MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }-Djansi.noreset=true"
    export MAVEN_OPTS
    v=$(sluice_java_version "$JAVA_HOME") || return 0
    if [ "$(sluice_java_major "$v")" -ge 23 ]; then
        MAVEN_OPTS="$MAVEN_OPTS --sun-misc-unsafe-memory-access=allow"
    fi
}

# Runs Maven without colour: batch mode (-B) turns it off, and style.color=never keeps it off
# for the Maven versions that read it. TERM=dumb and NO_COLOR need nothing more: there is no
# colour to turn off. Call after sluice_quiet_maven.
sluice_mvn() {
    mvn -B -Dstyle.color=never "$@"
}
