#!/usr/bin/env bash
# Redis (the gateway's correlation map) on 127.0.0.1:$REDIS_PORT (default 6379), no persistence:
# parked requests are short-lived. Pid file .stack/run/redis.pid, log .stack/logs/redis.log.
# Beside it, Debian's prometheus-redis-exporter serves Redis's INFO as metrics on
# 127.0.0.1:$REDIS_EXPORTER_PORT (default 9121); pid file redis-exporter.pid, log redis-exporter.log.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
command -v redis-server >/dev/null 2>&1 || die "redis-server not installed: run stack/bin/install.sh"
command -v prometheus-redis-exporter >/dev/null 2>&1 || die "prometheus-redis-exporter not installed: run stack/bin/install.sh"

# The exporter needs nothing from Redis to start (it connects on each scrape), so it is not waited for
# beyond its port: the stack's start stays as fast as before.
start_exporter() {
  if is_running redis-exporter prometheus-redis-exporter; then return 0; fi
  port_open "$REDIS_EXPORTER_PORT" && die "port $REDIS_EXPORTER_PORT (Redis metrics) is taken by a process this stack did not start"
  start_bg redis-exporter "$LOG_DIR/redis-exporter.log" prometheus-redis-exporter \
    -redis.addr "redis://127.0.0.1:$REDIS_PORT" -web.listen-address "127.0.0.1:$REDIS_EXPORTER_PORT"
  wait_for 15 redis-exporter port_open "$REDIS_EXPORTER_PORT" \
    || die "prometheus-redis-exporter not listening on $REDIS_EXPORTER_PORT (see $LOG_DIR/redis-exporter.log)"
}

if is_running redis redis-server; then
  start_exporter
  say "redis: already running (pid $(cat "$(pidfile redis)")) on 127.0.0.1:$REDIS_PORT, metrics :$REDIS_EXPORTER_PORT"
  exit 0
fi
port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by a process this stack did not start"

mkdir -p "$DATA_DIR/redis"
t0=$(now_ms)
start_bg redis "$LOG_DIR/redis.log" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
  --dir "$DATA_DIR/redis" --save "" --appendonly no --daemonize no --logfile ""
start_exporter
ping() { [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }
wait_for 15 redis ping || die "redis did not answer PING (see $LOG_DIR/redis.log)"
say "redis: started (pid $(cat "$(pidfile redis)")) on 127.0.0.1:$REDIS_PORT in $(( $(now_ms) - t0 )) ms, metrics :$REDIS_EXPORTER_PORT"
