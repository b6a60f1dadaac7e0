#!/usr/bin/env bash
# Redis (the gateway's correlation map) on 127.0.0.1:$REDIS_PORT (default 6379), no persistence:
# parked requests are short-lived. Pid file .stack/run/redis.pid, log .stack/logs/redis.log.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
command -v redis-server >/dev/null 2>&1 || die "redis-server not installed: run stack/bin/install.sh"

if is_running redis redis-server; then
  say "redis: already running (pid $(cat "$(pidfile redis)")) on 127.0.0.1:$REDIS_PORT"
  exit 0
fi
port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by a process this stack did not start"

mkdir -p "$DATA_DIR/redis"
t0=$(now_ms)
start_bg redis "$LOG_DIR/redis.log" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
  --dir "$DATA_DIR/redis" --save "" --appendonly no --daemonize no --logfile ""
ping() { [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
wait_for 15 redis ping || die "redis did not answer PING (see $LOG_DIR/redis.log)"
say "redis: started (pid $(cat "$(pidfile redis)")) on 127.0.0.1:$REDIS_PORT in $(( $(now_ms) - t0 )) ms"
