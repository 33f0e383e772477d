#!/usr/bin/env bash
# Runs one benchmark server in the foreground on 127.0.0.1:PORT: a Sluice engine or a peer. It
# builds nothing (bench/build.sh does) and `exec`s the server, so the caller's $! is the server's
# PID, the process whose /proc/PID/stat counts the whole server's CPU. Pin it from outside:
#
#   taskset -c 1 bench/server.sh NAME PORT [--sleep-ms N] [--root DIR] [--max-connections N]
#                                          [--tls-cert PEM --tls-key PEM [--tls-provider jdk|openssl|conscrypt|tcnative]]
#   bench/server.sh --list               the names, one per line
#   base-sluice-ENGINE                   ENGINE from an older build: $BASE_CLI_JAR (default
#                                        bench/target/base/sluice.jar, made by run.sh --base REV);
#                                        listed only when that jar exists
#   bench/server.sh check [NAME...]      smoke-tests each server (default: all); exit 1 on a FAIL
#
# Every server answers GET / with 200, Content-Type: text/plain, Content-Length: 13, Server, Date
# and "Hello, World!".
#   --sleep-ms N          a blocking handler: sleeps N ms, then answers (each project's way of
#                         running blocking work; "unsupported" and exit 2 where it has none)
#   --root DIR            static files from DIR: sluice-* (`sluice serve`), nginx (sendfile) and
#                         netty-* (NettyFiles) only
#   --max-connections N   sluice-*: --max-connections; peers: their own limit where they have one,
#                         else ignored with a note on stderr
#   --tls-cert PEM --tls-key PEM
#                         HTTPS on the same port (bench/tls.sh): sluice-* (its --tls-cert/--tls-key),
#                         nginx (TLSv1.3 only, TLS_AES_128_GCM_SHA256, session tickets on), netty-*
#                         (TLSv1.3, the JDK's SSLEngine or OpenSSL); the key must be PKCS#8 for Netty
#   --tls-provider P      netty-*: jdk (default) or openssl (netty-tcnative-boringssl-static);
#                         sluice-*: jdk (default), conscrypt or tcnative (its --tls-provider)
# JVM servers all get $BENCH_JVM_FLAGS (default below) and run on $JAVA_HOME/bin/java.
# See bench/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
NAMES=(sluice-sequential sluice-thread-per-connection sluice-pool sluice-virtual sluice-event-loop
       netty-epoll netty-nio undertow jetty helidon jdk nginx c-epoll)
DEFAULT_JVM_FLAGS="-Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:ActiveProcessorCount=1"
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
# $SLUICE_CLI_JAR: a copy taken at the start of a run (bench/tls.sh), so that a rebuild during the
# run does not change the build under test.
CLI_JAR=${SLUICE_CLI_JAR:-$ROOT/cli/target/sluice.jar}
BASE_CLI_JAR=${BASE_CLI_JAR:-$HERE/target/base/sluice.jar}
if [ -f "$BASE_CLI_JAR" ]; then
  NAMES+=(base-sluice-virtual base-sluice-event-loop)
fi
BENCH_JAR=$HERE/target/sluice-bench-0.1.0-SNAPSHOT.jar
C_BIN=$HERE/target/c-epoll

die() { echo "server.sh: $*" >&2; exit 1; }
unsupported() { echo "server.sh: $1 does not support $2" >&2; exit 2; }
need() { [ -e "$1" ] || die "$1 is missing; run bench/build.sh"; }

# ---------------------------------------------------------------------------------------------
# check: start each server on a free port and verify the plaintext answer, Connection: close and
# pipelining. Stops every server it started, by PID.

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Raw-socket checks: a Connection: close request must get "Connection: close" and then EOF, and 16
# requests in one write must get 16 responses. Prints what failed; exit 1 on a failure.
raw_checks() {
  python3 - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
REQ = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"

def responses(buf):
    """Complete responses (head, body) at the start of buf, and whether buf ends cleanly."""
    out = []
    while True:
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return out, not buf
        head = buf[:end].decode("latin-1")
        length = 0
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if len(buf) < end + 4 + length:
            return out, False
        out.append((head, buf[end + 4:end + 4 + length]))
        buf = buf[end + 4 + length:]

fails = []
with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
    s.sendall(REQ + b"Connection: close\r\n\r\n")
    buf, eof = b"", False
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                eof = True
                break
            buf += chunk
    except socket.timeout:
        pass
    except ConnectionResetError:
        eof = True
    got, _ = responses(buf)
    if len(got) != 1:
        fails.append("close: got %d responses; want 1" % len(got))
    elif not any(l.lower().replace(" ", "") == "connection:close" for l in got[0][0].split("\r\n")):
        fails.append("close: no 'Connection: close' in the answer")
    if not eof:
        fails.append("close: the server did not close the socket within 5 s")

with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
    s.sendall((REQ + b"\r\n") * 16)
    buf = b""
    try:
        while len(responses(buf)[0]) < 16:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        pass
    got, _ = responses(buf)
    if len(got) != 16 or any(b != b"Hello, World!" for _, b in got):
        fails.append("pipelined: got %d good responses of 16" % sum(b == b"Hello, World!" for _, b in got))
print("; ".join(fails))
sys.exit(1 if fails else 0)
PY
}

# check_one NAME: prints one PASS/FAIL line; returns 1 on FAIL.
check_one() {
  local name=$1 port pid log dir fails=() notes=()
  port=$(free_port)
  dir=$(mktemp -d /tmp/sluice-check.XXXXXX)
  log=$dir/server.log
  "$0" "$name" "$port" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do   # up to 30 s for a JVM with a pre-touched 1 GiB heap
    curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! kill -0 "$pid" 2>/dev/null; then
    fails+=("did not start: $(tail -n 3 "$log" | tr '\n' ' ')")
  else
    local code
    code=$(curl -s -D "$dir/head" -o "$dir/body" -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    [ "$code" = 200 ] || fails+=("status $code; want 200")
    [ "$(cat "$dir/body" 2>/dev/null)" = "Hello, World!" ] || fails+=("body '$(head -c 40 "$dir/body" 2>/dev/null)'; want 'Hello, World!'")
    grep -qiE '^content-length: *13'$'\r''?$' "$dir/head" || fails+=("no Content-Length: 13")
    grep -qiE '^content-type: *text/plain' "$dir/head" || fails+=("no Content-Type: text/plain")
    grep -qi '^date: ' "$dir/head" || fails+=("no Date")
    if ! grep -qi '^server: ' "$dir/head"; then
      case $name in
        sluice-*|base-sluice-*) notes+=("no Server header (accepted for sluice-* until it sends one)") ;;
        *) fails+=("no Server") ;;
      esac
    fi
    local raw
    raw=$(raw_checks "$port" 2>&1) || fails+=("$raw")
    case $name:$raw in
      helidon:*"did not close"*) notes+=("helidon-io/helidon#12324: 4.5.0 does not close after Connection: close") ;;
    esac
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  local note=""
  [ ${#notes[@]} -gt 0 ] && note=" (note: ${notes[*]})"
  if [ ${#fails[@]} -eq 0 ]; then
    echo "PASS $name$note"
  else
    local IFS=';'
    echo "FAIL $name: ${fails[*]}$note"
    return 1
  fi
}

if [ "${1:-}" = --list ]; then
  printf '%s\n' "${NAMES[@]}"
  exit 0
fi
if [ "${1:-}" = check ]; then
  shift
  [ $# -gt 0 ] || set -- "${NAMES[@]}"
  status=0
  for name in "$@"; do
    check_one "$name" || status=1
  done
  exit $status
fi

# ---------------------------------------------------------------------------------------------
# NAME PORT [options]: exec the server.

[ $# -ge 2 ] || die "usage: server.sh NAME PORT [--sleep-ms N] [--root DIR] [--max-connections N] [--tls-cert PEM --tls-key PEM [--tls-provider jdk|openssl|conscrypt|tcnative]] | --list | check [NAME...]"
NAME=$1 PORT=$2
shift 2
case " ${NAMES[*]} " in *" $NAME "*) ;; *) die "unknown server '$NAME'; see --list" ;; esac
[[ $PORT =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$PORT'"
SLEEP_MS="" STATIC_ROOT="" MAX_CONN="" TLS_CERT="" TLS_KEY="" TLS_PROVIDER=""
while [ $# -gt 0 ]; do
  case $1 in
    --sleep-ms) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--sleep-ms needs a number"; SLEEP_MS=$2; shift ;;
    --root) [ -d "${2:-}" ] || die "--root needs a directory"; STATIC_ROOT=$(cd "$2" && pwd); shift ;;
    --max-connections) [[ ${2:-} =~ ^[0-9]+$ ]] || die "--max-connections needs a number"; MAX_CONN=$2; shift ;;
    --tls-cert) [ -f "${2:-}" ] || die "--tls-cert needs a file"; TLS_CERT=$(realpath "$2"); shift ;;
    --tls-key) [ -f "${2:-}" ] || die "--tls-key needs a file"; TLS_KEY=$(realpath "$2"); shift ;;
    --tls-provider) [[ ${2:-} =~ ^(jdk|openssl|conscrypt|tcnative)$ ]] || die "--tls-provider is jdk, openssl, conscrypt or tcnative"
      TLS_PROVIDER=$2; shift ;;
    *) die "unknown option '$1'" ;;
  esac
  shift
done
[ -n "$SLEEP_MS" ] && [ -n "$STATIC_ROOT" ] && die "--sleep-ms and --root exclude each other"
{ [ -n "$TLS_CERT" ] && [ -n "$TLS_KEY" ]; } || { [ -z "$TLS_CERT" ] && [ -z "$TLS_KEY" ]; } \
  || die "--tls-cert and --tls-key go together"
[ -z "$TLS_PROVIDER" ] || [ -n "$TLS_CERT" ] || die "--tls-provider needs --tls-cert and --tls-key"
case $NAME in
  netty-*) [[ ${TLS_PROVIDER:-jdk} =~ ^(jdk|openssl)$ ]] || unsupported "$NAME" "--tls-provider $TLS_PROVIDER" ;;
  sluice-*|base-sluice-*) [[ ${TLS_PROVIDER:-jdk} =~ ^(jdk|conscrypt|tcnative)$ ]] || unsupported "$NAME" "--tls-provider $TLS_PROVIDER" ;;
  *) [ -z "$TLS_PROVIDER" ] || unsupported "$NAME" "--tls-provider (it has one TLS implementation)" ;;
esac

read -r -a JVM_FLAGS <<< "${BENCH_JVM_FLAGS:-$DEFAULT_JVM_FLAGS}"

case $NAME in
  sluice-*|base-sluice-*)
    ENGINE=${NAME#*sluice-}
    case $NAME in base-*) CLI_JAR=$BASE_CLI_JAR ;; esac
    limit=()
    [ -n "$MAX_CONN" ] && limit=(--max-connections "$MAX_CONN")
    [ -n "$TLS_CERT" ] && limit+=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
    [ -n "$TLS_PROVIDER" ] && limit+=(--tls-provider "$TLS_PROVIDER")
    need "$JAVA"
    if [ -n "$SLEEP_MS" ]; then
      [ -z "$TLS_CERT" ] || unsupported "$NAME --sleep-ms" --tls-cert
      need "$BENCH_JAR"
      exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$BENCH_JAR:$HERE/target/lib/*" dev.sluice.bench.HttpSleepServer \
        --engine "$ENGINE" --port "$PORT" --sleep-ms "$SLEEP_MS" "${limit[@]}"
    fi
    need "$CLI_JAR"
    if [ -n "$STATIC_ROOT" ]; then
      # No line per request on stdout: --quiet, which builds before it lack (and do not print).
      quiet=(--quiet)
      case $NAME in base-*) quiet=() ;; esac
      exec "$JAVA" "${JVM_FLAGS[@]}" -jar "$CLI_JAR" serve "$STATIC_ROOT" \
        --engine "$ENGINE" --host 127.0.0.1 --port "$PORT" "${limit[@]}" "${quiet[@]}"
    fi
    exec "$JAVA" "${JVM_FLAGS[@]}" -jar "$CLI_JAR" respond \
      --engine "$ENGINE" --host 127.0.0.1 --port "$PORT" "${limit[@]}"
    ;;

  nginx)
    [ -z "$SLEEP_MS" ] || unsupported nginx --sleep-ms
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || die "nginx is missing (apt-get install nginx)"
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    # Everything nginx writes goes under a directory of its own, so any user can run it.
    DIR=${TMPDIR:-/tmp}/sluice-bench-nginx.$(id -u).$PORT
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ -n "$STATIC_ROOT" ]; then
      LOCATION="root $STATIC_ROOT;
      sendfile on;
      tcp_nopush on;"
    else
      LOCATION='default_type text/plain;
      return 200 "Hello, World!";'
    fi
    # worker_connections is nginx's connection limit (listening socket included); by default as
    # many as the open-file limit allows.
    nofile=$(ulimit -n)
    [[ $nofile =~ ^[0-9]+$ ]] || nofile=20000
    WORKER_CONN=${MAX_CONN:-$(( nofile - 100 ))}
    MIME=""
    [ -r /etc/nginx/mime.types ] && MIME="include /etc/nginx/mime.types;"
    LISTEN_TLS="" TLS=""
    if [ -n "$TLS_CERT" ]; then
      # TLSv1.3 only, the suite every server of bench/tls.sh negotiates, tickets for resumption
      # (nginx's default, written out). No kTLS (ssl_conf_command Options KTLS): with TLS, nginx
      # encrypts in user space and sendfile does not apply, as in the other servers.
      LISTEN_TLS=" ssl"
      TLS="ssl_certificate $TLS_CERT;
    ssl_certificate_key $TLS_KEY;
    ssl_protocols TLSv1.3;
    ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256;
    ssl_session_tickets on;"
    fi
    cat > "$DIR/nginx.conf" <<CONF
# Generated by bench/server.sh.
# master_process off + daemon off: nginx runs as ONE process in the foreground, no master/worker
# split, so the PID the caller gets from \$! is the process that serves, and /proc/PID/stat counts
# all of the server's CPU. nginx documents master_process off for development; with one worker
# the request path is the same.
master_process off;
daemon off;
worker_processes 1;
pid $DIR/nginx.pid;
error_log stderr warn;

events {
  worker_connections $WORKER_CONN;
}

http {
  $MIME
  access_log off;
  keepalive_requests 1000000000;
  client_body_temp_path $DIR/client_body;
  proxy_temp_path $DIR/proxy;
  fastcgi_temp_path $DIR/fastcgi;
  uwsgi_temp_path $DIR/uwsgi;
  scgi_temp_path $DIR/scgi;

  server {
    listen 127.0.0.1:$PORT$LISTEN_TLS backlog=4096;
    $TLS
    location / {
      $LOCATION
    }
  }
}
CONF
    exec "$NGINX" -e stderr -p "$DIR" -c "$DIR/nginx.conf"
    ;;

  c-epoll)
    [ -z "$SLEEP_MS" ] || unsupported c-epoll --sleep-ms
    [ -z "$STATIC_ROOT" ] || unsupported c-epoll --root
    [ -z "$TLS_CERT" ] || unsupported c-epoll --tls-cert
    [ -z "$MAX_CONN" ] || echo "server.sh: c-epoll has no connection limit; --max-connections ignored" >&2
    need "$C_BIN"
    exec "$C_BIN" "$PORT"
    ;;

  *)
    # The JVM peers: dev.sluice.bench.peers.Peers NAME --port P [--sleep-ms N] [--max-connections N]
    # [--root DIR] [--tls-cert C --tls-key K [--tls-provider P]]; each says itself what it does not
    # support (only Netty has --root and TLS).
    need "$JAVA"
    need "$BENCH_JAR"
    opts=(--port "$PORT")
    [ -n "$SLEEP_MS" ] && opts+=(--sleep-ms "$SLEEP_MS")
    [ -n "$MAX_CONN" ] && opts+=(--max-connections "$MAX_CONN")
    [ -n "$STATIC_ROOT" ] && opts+=(--root "$STATIC_ROOT")
    [ -n "$TLS_CERT" ] && opts+=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
    [ -n "$TLS_PROVIDER" ] && opts+=(--tls-provider "$TLS_PROVIDER")
    exec "$JAVA" "${JVM_FLAGS[@]}" -cp "$BENCH_JAR:$HERE/target/lib/*" dev.sluice.bench.peers.Peers \
      "$NAME" "${opts[@]}"
    ;;
esac
