#!/usr/bin/env bash
# `npm run stack`: the whole shop on the real engines — Redis, Kafka, topics, the functions, Flink
# StateFun, the gateway replicas on :8000, Prometheus on :9090 and the exporters — then waits; Ctrl-C (or SIGTERM) stops every process.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

stopping=0
shutdown() {
  ((stopping)) && return
  stopping=1
  say "stack: stopping"
  "$STACK_BIN/stop.sh" || true
  exit 0
}
trap shutdown INT TERM

t0=$(now_ms)
"$STACK_BIN/up.sh"
"$STACK_BIN/gateway.sh"
say "stack: ready in $(( $(now_ms) - t0 )) ms — the shop on http://127.0.0.1:${PORT:-8000}, Prometheus on http://127.0.0.1:$PROMETHEUS_PORT, logs in $LOG_DIR (Ctrl-C stops it)"
[[ "${STACK_DETACH:-0}" == 1 ]] && exit 0
while true; do sleep 1; done
