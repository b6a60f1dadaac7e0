#!/usr/bin/env bash
# Apache Flink StateFun 3.3 on Flink 1.16.2, without Docker: a session-cluster JobManager
# (StandaloneSessionClusterEntrypoint, REST on 127.0.0.1:8081) and STACK_TASKMANAGERS TaskManagers
# (TaskManagerRunner, STACK_TASK_SLOTS slots each), then the StateFun job
# (org.apache.flink.statefun.flink.core.StatefulFunctionsJob) submitted through Flink's CLI at
# STATEFUN_PARALLELISM (default: every slot) with the module file statefun/module.yaml
# (statefun.remote.module-name) and checkpointing every $STATEFUN_CHECKPOINT_INTERVAL (default 500ms).
# Resumes from the newest retained checkpoint or savepoint in .stack/data if there is one (STATEFUN_FRESH=1
# starts empty instead); the state's key groups spread over the parallelism it is submitted at.
# Starts only what is missing: on a running stack, a larger STACK_TASKMANAGERS adds TaskManagers (then
# `npm run stack:rescale -- P` uses them), and a TaskManager that died is started again.
# Waits until every task of the job is RUNNING.
# Logs: .stack/logs/flink-{jobmanager,taskmanager-<i>,cli}.log.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
require_java
require_libs
command -v node >/dev/null 2>&1 || die "node (20+) is needed for the REST checks"
[[ -f "$MODULE_YAML" ]] || die "module file $MODULE_YAML not found"

# shellcheck source-path=SCRIPTDIR source=flink-lib.sh
source "$STACK_BIN/flink-lib.sh"
mkdir -p "$FLINK_PLUGINS_DIR" "$DATA_DIR/checkpoints" "$DATA_DIR/savepoints" "$DATA_DIR/tmp" "$DATA_DIR/rocksdb" "$LOG_DIR/rocksdb"

t0=$(now_ms)
render_module
render "$STACK_SRC/conf/flink/flink-conf.yaml" "$CONF/flink-conf.yaml"
cp "$STACK_SRC/conf/flink/log4j.properties" "$STACK_SRC/conf/flink/log4j-cli.properties" "$CONF/"

jm_up() { is_running flink-jobmanager "$JM_CLASS"; }
tm_up() { is_running "$(tm_name "$1")" "$TM_CLASS"; }
all_tms_up() {
  local i
  for ((i = 1; i <= STACK_TASKMANAGERS; i++)); do tm_up "$i" || return 1; done
}

# Fast path: everything already up.
if jm_up && all_tms_up; then
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
all_tms_up || resource_params GET_TM_RESOURCE_PARAMS &
wait
for p in JM TM; do
  f="$RUN_DIR/GET_${p}_RESOURCE_PARAMS"
  [[ ! -e "$f" || "$(wc -l <"$f")" == 2 ]] || die "BashJavaUtils GET_${p}_RESOURCE_PARAMS failed (see $LOG_DIR/flink-bash-java-utils.log)"
done
jm_up || start_flink flink-jobmanager "$JM_CLASS" GET_JM_RESOURCE_PARAMS
# The TaskManager's heap is touched whole at start (-Xms is -Xmx already): otherwise its RSS climbs by
# ~500 MB over the first minutes under load as G1 spreads into it, and a soak cannot tell that from a leak.
# flink-conf.yaml's reporter port is the JobManager's; the TaskManager's Prometheus reporter gets its own.
# Each TaskManager has a resource id of its own, so Flink's UI and logs name it as the pid file does.
for ((i = 1; i <= STACK_TASKMANAGERS; i++)); do
  tm_up "$i" || JVM_FLAGS=-XX:+AlwaysPreTouch start_flink "$(tm_name "$i")" "$TM_CLASS" GET_TM_RESOURCE_PARAMS \
    -D "metrics.reporter.prom.port=$(tm_metrics_port "$i")" -D "taskmanager.resource-id=$(tm_name "$i")"
done

tms_registered() { [[ "$($REST taskmanagers 2>/dev/null || echo 0)" -ge "$STACK_TASKMANAGERS" ]]; }
if ! wait_for 120 "taskmanagers" tms_registered; then
  jm_up || die "JobManager exited (see $LOG_DIR/flink-jobmanager.log, .out)"
  for ((i = 1; i <= STACK_TASKMANAGERS; i++)); do
    tm_up "$i" || die "TaskManager $i exited (see $LOG_DIR/$(tm_name "$i").log, .out)"
  done
  die "not all $STACK_TASKMANAGERS TaskManagers registered with the JobManager after 120 s (see $LOG_DIR/flink-*.log)"
fi
t_cluster=$(now_ms)

read -r jid state tasks <<<"$(job_line)"
resumed=""
if [[ "$state" != RUNNING && "$state" != CREATED && "$state" != RESTARTING && "$state" != INITIALIZING ]]; then
  latest=""
  if [[ "${STATEFUN_FRESH:-0}" != 1 ]]; then
    latest="$(newest_snapshot)"
    [[ -z "$latest" ]] || resumed=" resumed from ${latest#"$DATA_DIR"/}"
  fi
  # Older jobs' checkpoint folders are dead weight: a job restored in Flink's default NO_CLAIM mode
  # takes a full first checkpoint and never refers to its predecessor's files. Keep only the one we
  # restore from. (STATEFUN_FRESH=1 prunes nothing.)
  if [[ "${STATEFUN_FRESH:-0}" != 1 ]]; then
    keep="$(basename "$(dirname "${latest:-/none/none}")")"
    for d in "$DATA_DIR"/checkpoints/*/; do
      if [[ -d "$d" && "$(basename "$d")" != "$keep" ]]; then rm -rf "$d"; fi
    done
  fi
  # Savepoints are stack:rescale's: the three newest are kept.
  find "$DATA_DIR/savepoints" -mindepth 1 -maxdepth 1 -type d -name 'savepoint-*' -printf '%T@ %p\n' 2>/dev/null \
    | sort -rn | tail -n +4 | cut -d' ' -f2- | while read -r d; do rm -rf "$d"; done
  submit_job "$STATEFUN_PARALLELISM" "${latest:+file://$latest}" || die "job submission failed (see $LOG_DIR/flink-cli.log)"
fi

if ! wait_for 180 "job" job_running; then
  die "StateFun job not RUNNING after 180 s (now: ${state:-?} ${tasks:-}); see $LOG_DIR/flink-jobmanager.log"
fi
t_job=$(now_ms)
warn=""
port_open "$FUNCTIONS_PORT" || warn=" (warning: nothing listens on the functions port $FUNCTIONS_PORT yet)"
say "statefun: job $jid RUNNING (parallelism $STATEFUN_PARALLELISM on $STACK_TASKMANAGERS TaskManager(s) x $TASK_SLOTS slot(s), tasks $tasks, checkpoint every $CHECKPOINT_INTERVAL$resumed) in $(( t_job - t0 )) ms, cluster ready at $(( t_cluster - t0 )) ms; REST http://127.0.0.1:$FLINK_REST_PORT$warn"
