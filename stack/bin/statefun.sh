#!/usr/bin/env bash
# Apache Flink StateFun 3.3 on Flink 1.16.2, without Docker: a session-cluster JobManager
# (StandaloneSessionClusterEntrypoint, REST on 127.0.0.1:8081) and one TaskManager (TaskManagerRunner),
# then the StateFun job (org.apache.flink.statefun.flink.core.StatefulFunctionsJob) submitted through
# Flink's CLI with the module file statefun/module.yaml (statefun.remote.module-name) and checkpointing
# every $STATEFUN_CHECKPOINT_INTERVAL (default 500ms). Resumes from the newest retained checkpoint in
# .stack/data/checkpoints if there is one (STATEFUN_FRESH=1 starts empty instead).
# Waits until every task of the job is RUNNING. Logs: .stack/logs/flink-{jobmanager,taskmanager,cli}.log.
# Env: STATEFUN_CHECKPOINT_INTERVAL, STATEFUN_PARALLELISM (2), FLINK_REST_PORT (8081), MODULE_YAML.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_java
require_libs
command -v node >/dev/null 2>&1 || die "node (20+) is needed for the REST checks"
[[ -f "$MODULE_YAML" ]] || die "module file $MODULE_YAML not found"

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
JOB_CLASS=org.apache.flink.statefun.flink.core.StatefulFunctionsJob
REST="node $STACK_BIN/flink-rest.mjs"
CONF="$CONF_OUT/flink"
CP="$LIB_DIR/flink/*"
export FLINK_CONF_DIR="$CONF" FLINK_LIB_DIR="$LIB_DIR/flink" FLINK_PLUGINS_DIR="$LIB_DIR/plugins" FLINK_REST_PORT
mkdir -p "$FLINK_PLUGINS_DIR" "$DATA_DIR/checkpoints" "$DATA_DIR/savepoints" "$DATA_DIR/tmp" "$DATA_DIR/rocksdb" "$LOG_DIR/rocksdb"

t0=$(now_ms)
render_module
render "$STACK_SRC/conf/flink/flink-conf.yaml" "$CONF/flink-conf.yaml"
cp "$STACK_SRC/conf/flink/log4j.properties" "$STACK_SRC/conf/flink/log4j-cli.properties" "$CONF/"

job_line() { $REST job "$STATEFUN_JOB_NAME" 2>/dev/null || echo "down"; }
jm_up() { is_running flink-jobmanager "$JM_CLASS"; }
tm_up() { is_running flink-taskmanager "$TM_CLASS"; }

# Fast path: everything already up.
if jm_up && tm_up; then
  read -r jid state tasks <<<"$(job_line)"
  if [[ "$state" == RUNNING ]]; then
    say "statefun: already running (job $jid $state, tasks $tasks, REST http://127.0.0.1:$FLINK_REST_PORT)"
    exit 0
  fi
fi

# BashJavaUtils is what Flink's taskmanager.sh/jobmanager.sh run to turn *.memory.process.size into JVM
# flags (-Xmx, -XX:MaxDirectMemorySize, ...) and the exact memory settings the process must be given.
resource_params() { # GET_JM_RESOURCE_PARAMS | GET_TM_RESOURCE_PARAMS -> file with 2 lines: jvm args, dynamic configs
  cds_flags "flink-bash-java-utils-$1"
  "$JAVA" "${QUICK_JVM[@]}" "${CDS[@]}" -Xmx128m "${JAVA17_OPENS[@]}" -Dlog.file="$LOG_DIR/flink-bash-java-utils.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j-cli.properties" -cp "$CP" \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$CONF" \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | tail -2 >"$RUN_DIR/$1"
}

start_flink() { # NAME CLASS PARAMS [DYNAMIC PROPERTY...]; more JVM flags in JVM_FLAGS
  local name="$1" class="$2" jvm dyn
  jvm="$(sed -n 1p "$RUN_DIR/$3")"; dyn="$(sed -n 2p "$RUN_DIR/$3")"
  shift 3
  cds_flags "$name"
  # shellcheck disable=SC2086 # jvm and dyn are lists of flags
  start_bg "$name" "$LOG_DIR/$name.out" "$JAVA" "${CDS[@]}" $jvm ${JVM_FLAGS:-} "${JAVA17_OPENS[@]}" -XX:+UseG1GC \
    -Dlog.file="$LOG_DIR/$name.log" -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -cp "$CP" "$class" --configDir "$CONF" $dyn "$@"
}

rm -f "$RUN_DIR/GET_JM_RESOURCE_PARAMS" "$RUN_DIR/GET_TM_RESOURCE_PARAMS"
if ! jm_up; then
  port_open "$FLINK_REST_PORT" && die "port $FLINK_REST_PORT is taken by a process this stack did not start"
  resource_params GET_JM_RESOURCE_PARAMS &
fi
tm_up || resource_params GET_TM_RESOURCE_PARAMS &
wait
for p in JM TM; do
  f="$RUN_DIR/GET_${p}_RESOURCE_PARAMS"
  [[ ! -e "$f" || "$(wc -l <"$f")" == 2 ]] || die "BashJavaUtils GET_${p}_RESOURCE_PARAMS failed (see $LOG_DIR/flink-bash-java-utils.log)"
done
jm_up || start_flink flink-jobmanager "$JM_CLASS" GET_JM_RESOURCE_PARAMS
# The TaskManager's heap is touched whole at start (-Xms is -Xmx already): otherwise its RSS climbs by
# ~500 MB over the first minutes under load as G1 spreads into it, and a soak cannot tell that from a leak.
# flink-conf.yaml's reporter port is the JobManager's; the TaskManager's Prometheus reporter gets its own.
tm_up || JVM_FLAGS=-XX:+AlwaysPreTouch start_flink flink-taskmanager "$TM_CLASS" GET_TM_RESOURCE_PARAMS \
  -D "metrics.reporter.prom.port=$FLINK_TM_METRICS_PORT"

tm_registered() { [[ "$($REST taskmanagers 2>/dev/null || echo 0)" -ge 1 ]]; }
if ! wait_for 120 "taskmanager" tm_registered; then
  jm_up || die "JobManager exited (see $LOG_DIR/flink-jobmanager.log, .out)"
  tm_up || die "TaskManager exited (see $LOG_DIR/flink-taskmanager.log, .out)"
  die "no TaskManager registered with the JobManager after 120 s (see $LOG_DIR/flink-*.log)"
fi
t_cluster=$(now_ms)

read -r jid state tasks <<<"$(job_line)"
resumed=""
if [[ "$state" != RUNNING && "$state" != CREATED && "$state" != RESTARTING && "$state" != INITIALIZING ]]; then
  restore=()
  latest=""
  if [[ "${STATEFUN_FRESH:-0}" != 1 ]]; then
    # newest retained checkpoint that completed (has _metadata)
    latest="$(find "$DATA_DIR/checkpoints" -mindepth 3 -maxdepth 3 -name _metadata -path '*/chk-*' -printf '%T@ %h\n' 2>/dev/null \
      | sort -rn | head -1 | cut -d' ' -f2-)"
    if [[ -n "$latest" ]]; then restore=(-s "file://$latest"); resumed=" resumed from ${latest#"$DATA_DIR"/}"; fi
  fi
  # Older jobs' checkpoint folders are dead weight: a job restored in Flink's default NO_CLAIM mode
  # takes a full first checkpoint and never refers to its predecessor's files. Keep only the one we
  # restore from.
  # (STATEFUN_FRESH=1 prunes nothing.)
  if [[ "${STATEFUN_FRESH:-0}" != 1 ]]; then
    keep="$(basename "$(dirname "${latest:-/none/none}")")"
    for d in "$DATA_DIR"/checkpoints/*/; do
      if [[ -d "$d" && "$(basename "$d")" != "$keep" ]]; then rm -rf "$d"; fi
    done
  fi
  cds_flags flink-cli
  out="$("$JAVA" "${QUICK_JVM[@]}" "${CDS[@]}" -Xmx512m "${JAVA17_OPENS[@]}" -Dlog.file="$LOG_DIR/flink-cli.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j-cli.properties" -cp "$CP" \
    org.apache.flink.client.cli.CliFrontend run -d -c "$JOB_CLASS" "${restore[@]}" "$LIB_DIR/job/statefun-flink-core.jar" 2>&1)" \
    || { printf '%s\n' "$out" >>"$LOG_DIR/flink-cli.log"; die "job submission failed (see $LOG_DIR/flink-cli.log)"; }
  printf '%s\n' "$out" >>"$LOG_DIR/flink-cli.log"
fi

job_running() { read -r jid state tasks <<<"$(job_line)"; [[ "$state" == RUNNING && "${tasks%/*}" == "${tasks#*/}" ]]; }
if ! wait_for 180 "job" job_running; then
  die "StateFun job not RUNNING after 180 s (now: ${state:-?} ${tasks:-}); see $LOG_DIR/flink-jobmanager.log"
fi
t_job=$(now_ms)
warn=""
port_open "$FUNCTIONS_PORT" || warn=" (warning: nothing listens on the functions port $FUNCTIONS_PORT yet)"
say "statefun: job $jid RUNNING (tasks $tasks, checkpoint every $CHECKPOINT_INTERVAL$resumed) in $(( t_job - t0 )) ms, cluster ready at $(( t_cluster - t0 )) ms; REST http://127.0.0.1:$FLINK_REST_PORT$warn"
