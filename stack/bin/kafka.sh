#!/usr/bin/env bash
# Kafka 3.9 single node (KRaft broker+controller) on 127.0.0.1:9092 (controller 127.0.0.1:9093).
# Formats the storage in .stack/data/kafka once, then starts kafka.Kafka in the background (pid file
# .stack/run/kafka.pid, log .stack/logs/kafka.log, JVM stdout .stack/logs/kafka.out) and waits until the
# broker answers. `kafka.sh --foreground` runs it attached instead (Ctrl-C stops it).
# Metrics: the Prometheus JMX exporter runs in the broker as a java agent, on 127.0.0.1:$KAFKA_METRICS_PORT
# (default 9404), with the rules in stack/conf/kafka/jmx-exporter.yaml.
# Env: KAFKA_HEAP (default 512m), KAFKA_METRICS_PORT, STACK_DIR.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_java
require_libs

foreground=0
[[ "${1:-}" == "--foreground" || "${1:-}" == "-f" ]] && foreground=1

if is_running kafka kafka.Kafka; then
  say "kafka: already running (pid $(cat "$(pidfile kafka)")) on $KAFKA_BOOTSTRAP"
  exit 0
fi
port_open 9092 && die "port 9092 is taken by a process this stack did not start"
port_open "$KAFKA_METRICS_PORT" && die "port $KAFKA_METRICS_PORT (Kafka metrics) is taken by a process this stack did not start"

conf="$CONF_OUT/kafka/server.properties"
render "$STACK_SRC/conf/kafka/server.properties" "$conf"
cp "$STACK_SRC/conf/kafka/log4j.properties" "$CONF_OUT/kafka/log4j.properties"
cp "$STACK_SRC/conf/kafka/tools-log4j.properties" "$CONF_OUT/kafka/tools-log4j.properties"
cp "$STACK_SRC/conf/kafka/jmx-exporter.yaml" "$CONF_OUT/kafka/jmx-exporter.yaml"
mkdir -p "$DATA_DIR/kafka"

CP="$LIB_DIR/kafka/*"
tools_log=(-Dlog4j.configuration="file:$CONF_OUT/kafka/tools-log4j.properties")

# Format once: the cluster id is kept beside the data so a re-format (after deleting data) is explicit.
if [[ ! -f "$DATA_DIR/kafka/meta.properties" ]]; then
  idfile="$DATA_DIR/kafka-cluster-id"
  cds_flags kafka-storage-tool
  [[ -s "$idfile" ]] || "$JAVA" "${QUICK_JVM[@]}" "${CDS[@]}" "${tools_log[@]}" -cp "$CP" kafka.tools.StorageTool random-uuid >"$idfile"
  cds_flags kafka-storage-tool
  "$JAVA" "${QUICK_JVM[@]}" "${CDS[@]}" "${tools_log[@]}" -cp "$CP" kafka.tools.StorageTool format \
    -t "$(cat "$idfile")" -c "$conf" --ignore-formatted >"$LOG_DIR/kafka-format.log" 2>&1 \
    || die "storage format failed (see $LOG_DIR/kafka-format.log)"
fi

cds_flags kafka
# The JVM refuses to write a class-data archive while a java agent runs unless told it may (and then wants
# the same flag to map the archive).
agent=(-XX:+UnlockDiagnosticVMOptions -XX:+AllowArchivingWithJavaAgent
  "-javaagent:$LIB_DIR/agents/jmx_prometheus_javaagent.jar=127.0.0.1:$KAFKA_METRICS_PORT:$CONF_OUT/kafka/jmx-exporter.yaml")
# The whole heap touched at start (AlwaysPreTouch), as for the TaskManager: RSS is flat from the first request.
cmd=("$JAVA" "${CDS[@]}" "${agent[@]}" "-Xms${KAFKA_HEAP:-512m}" "-Xmx${KAFKA_HEAP:-512m}" -XX:+AlwaysPreTouch -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -Djava.awt.headless=true -Dkafka.logs.dir="$LOG_DIR" -Dlog4j.configuration="file:$CONF_OUT/kafka/log4j.properties"
  -cp "$CP" kafka.Kafka "$conf")

if ((foreground)); then
  say "kafka: running in the foreground on $KAFKA_BOOTSTRAP (log $LOG_DIR/kafka.log)"
  exec "${cmd[@]}"
fi

t0=$(now_ms)
start_bg kafka "$LOG_DIR/kafka.out" "${cmd[@]}"
# Ready = the broker listener accepts connections (it opens only after the KRaft controller is up and
# the broker has caught up with the metadata log).
if ! wait_for 90 "kafka" port_open 9092; then
  is_running kafka kafka.Kafka || die "kafka exited during start-up (see $LOG_DIR/kafka.log, $LOG_DIR/kafka.out)"
  die "kafka not listening on 9092 after 90 s (see $LOG_DIR/kafka.log)"
fi
say "kafka: started (pid $(cat "$(pidfile kafka)")) on $KAFKA_BOOTSTRAP in $(( $(now_ms) - t0 )) ms, metrics :$KAFKA_METRICS_PORT; log $LOG_DIR/kafka.log"
