#!/usr/bin/env bash
# Stops what the stack scripts started, newest first: Prometheus, the gateway, StateFun (TaskManagers, JobManager),
# the shop functions server if functions.sh started it, Kafka, Redis and its exporter. Only the pids in .stack/run/*.pid are
# signalled (SIGTERM, then SIGKILL after a grace period: 90 s for the JVMs, whose first run writes its
# class-data archive while exiting), and only if their command line still matches.
# The job is not cancelled: its last retained checkpoint stays in .stack/data/checkpoints, and the next
# statefun.sh resumes from it. `stop.sh statefun|functions|kafka|redis|prometheus|gateway` stops just that one
# (redis: with its exporter).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

want="${1:-all}"
stopped=()
stop_one() { # NAME MARKER TIMEOUT
  if [[ "$want" == all || "$want" == "$1" || ("$want" == statefun && "$1" == flink-*) || ("$want" == redis && "$1" == redis-*) ]]; then
    if stop_pid "$1" "$2" "$3"; then stopped+=("$1"); fi
  fi
}
stop_one prometheus "$CONF_OUT/prometheus/prometheus.yml" 15
stop_one gateway services/gateway/dist/main.js 15
for f in "$RUN_DIR"/flink-taskmanager-*.pid; do
  if [[ -e "$f" ]]; then stop_one "$(basename "$f" .pid)" org.apache.flink.runtime.taskexecutor.TaskManagerRunner 90; fi
done
stop_one flink-jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint 90
stop_one functions functions/dist/main.js 10
stop_one kafka kafka.Kafka 90
stop_one redis-exporter prometheus-redis-exporter 10
stop_one redis redis-server 10

if ((${#stopped[@]})); then say "stop: stopped ${stopped[*]}"; else say "stop: nothing was running"; fi
