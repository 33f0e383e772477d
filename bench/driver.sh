# Sourced by run.sh and tls.sh.

# Runs build.sh, quietly unless it fails.
build_bench() {
  echo "building (bench/build.sh)" >&2
  local log
  log=$(mktemp /tmp/sluice-bench-build.XXXXXX)
  if ! "$HERE/build.sh" > "$log" 2>&1; then
    grep -v '^WARNING' "$log" | tail -30 >&2; echo "build failed (log: $log)" >&2; exit 1
  fi
  rm -f "$log"
}

# Drives PYTHON_DRIVER ARGS... in the background, so that a signal to
# the calling script reaches it (it stops every server and client it started, by PID, and exits);
# on success WORK holds the work directory it printed, else the calling script exits.
drive() {
  local name=$1; shift
  local work_file py status=0
  work_file=$(mktemp "/tmp/sluice-$name-work.XXXXXX")
  python3 "$@" > "$work_file" &
  py=$!
  trap 'kill -TERM '"$py"' 2>/dev/null || true' TERM HUP
  trap 'kill -INT '"$py"' 2>/dev/null || true' INT
  wait $py || status=$?
  while kill -0 $py 2>/dev/null; do wait $py || status=$?; done
  trap - TERM HUP INT
  WORK=$(cat "$work_file"); rm -f "$work_file"
  if [ $status != 0 ] || [ -z "$WORK" ]; then
    echo "bench/$name.sh: the run ended with status $status" >&2; exit $(( status ? status : 1 ))
  fi
}
