#!/usr/bin/env bash
# Prometheus (Debian's package) on 127.0.0.1:$PROMETHEUS_PORT (default 9090), scraping every process of the
# stack every 5 s (stack/conf/prometheus/prometheus.yml): the gateway's and the functions' /metrics, Flink's
# JobManager and TaskManager reporters, Kafka's JMX exporter, redis_exporter, and itself. Data in
# .stack/data/prometheus (kept across restarts, 7 days), pid file prometheus.pid, log .stack/logs/prometheus.log.
# A target that is not up yet is simply scraped again later, so this may start first.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null 2>&1 || die "prometheus not installed: run stack/bin/install.sh"

url="http://127.0.0.1:$PROMETHEUS_PORT"
if is_running prometheus "$CONF_OUT/prometheus/prometheus.yml"; then
  say "prometheus: already running (pid $(cat "$(pidfile prometheus)")) on $url"
  exit 0
fi
port_open "$PROMETHEUS_PORT" && die "port $PROMETHEUS_PORT is taken by a process this stack did not start"

render "$STACK_SRC/conf/prometheus/prometheus.yml" "$CONF_OUT/prometheus/prometheus.yml"
mkdir -p "$DATA_DIR/prometheus"
t0=$(now_ms)
start_bg prometheus "$LOG_DIR/prometheus.log" prometheus \
  --config.file="$CONF_OUT/prometheus/prometheus.yml" \
  --storage.tsdb.path="$DATA_DIR/prometheus" --storage.tsdb.retention.time=7d \
  --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
ready() { curl -fsS "$url/-/ready" >/dev/null 2>&1; }
wait_for 30 prometheus ready || die "prometheus not ready on $url (see $LOG_DIR/prometheus.log)"
say "prometheus: started (pid $(cat "$(pidfile prometheus)")) on $url in $(( $(now_ms) - t0 )) ms"
