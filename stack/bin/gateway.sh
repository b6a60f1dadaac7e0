#!/usr/bin/env bash
# The gateway: GATEWAY_REPLICAS (default 1) replicas behind one port, PORT (default 8000), on Kafka and
# Redis (node services/gateway/dist/main.js, Node's cluster module), each also serving the HTTP ingress
# on HTTP_INGRESS_PORT (default 5555). Detached with a pid file; the primary replaces a replica that dies.
# Log .stack/logs/gateway.log. Needs the build (functions.sh runs it).
# One replica by default: with two JVMs and Kafka on a couple of cores, a second replica costs more CPU
# than it brings (the root README's "Speed of the real stack" has the figures). GATEWAY_REPLICAS=2 shows replies routed between
# replicas, and the e2e tests run that way.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

GATEWAY_PORT="${PORT:-8000}"
INGRESS_PORT="${HTTP_INGRESS_PORT:-5555}"
if is_running gateway services/gateway/dist/main.js; then
  say "gateway: already running (pid $(cat "$(pidfile gateway)")) on http://127.0.0.1:$GATEWAY_PORT"
  exit 0
fi
port_open "$GATEWAY_PORT" && die "port $GATEWAY_PORT is taken by a process this stack did not start"
if [[ "$INGRESS_PORT" != "$GATEWAY_PORT" ]] && port_open "$INGRESS_PORT"; then
  die "port $INGRESS_PORT (HTTP ingress) is taken by a process this stack did not start"
fi
[[ -f "$REPO_ROOT/services/gateway/dist/main.js" ]] || (cd "$REPO_ROOT" && npm run build --silent)

t0=$(now_ms)
# Loopback only, like every other port of the stack; HOST / HTTP_INGRESS_HOST open them up.
(cd "$REPO_ROOT" && HOST="${HOST:-127.0.0.1}" HTTP_INGRESS_HOST="${HTTP_INGRESS_HOST:-127.0.0.1}" \
  PORT="$GATEWAY_PORT" KAFKA_BROKERS="$KAFKA_BOOTSTRAP" REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
  GATEWAY_REPLICAS="${GATEWAY_REPLICAS:-1}" start_bg gateway "$LOG_DIR/gateway.log" node services/gateway/dist/main.js)
ready() { curl -fsS "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null 2>&1; }
wait_for 60 gateway ready || die "gateway not answering on $GATEWAY_PORT (see $LOG_DIR/gateway.log)"
say "gateway: ${GATEWAY_REPLICAS:-1} replica(s) (pid $(cat "$(pidfile gateway)")) on http://127.0.0.1:$GATEWAY_PORT, HTTP ingress :$INGRESS_PORT, in $(( $(now_ms) - t0 )) ms, log $LOG_DIR/gateway.log"
