# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this file
# What statefun.sh and rescale.sh share about the Flink cluster and the StateFun job: its classes, its
# REST API (flink-rest.mjs), submitting the job, waiting for it. Sourced after lib.sh, never run.

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
JOB_CLASS=org.apache.flink.statefun.flink.core.StatefulFunctionsJob
REST="node $STACK_BIN/flink-rest.mjs"
CONF="$CONF_OUT/flink"
CP="$LIB_DIR/flink/*"
export FLINK_CONF_DIR="$CONF" FLINK_LIB_DIR="$LIB_DIR/flink" FLINK_PLUGINS_DIR="$LIB_DIR/plugins" FLINK_REST_PORT

# "<jobId> <state> <vertices RUNNING>/<vertices>" of the newest job named statefun-shop, "none", or "down".
job_line() { $REST job "$STATEFUN_JOB_NAME" 2>/dev/null || echo "down"; }

# job_running: the job is RUNNING with every vertex RUNNING; sets jid, state, tasks.
job_running() { read -r jid state tasks <<<"$(job_line)"; [[ "$state" == RUNNING && "${tasks%/*}" == "${tasks#*/}" ]]; }

# submit_job PARALLELISM [SNAPSHOT]: the StateFun job through Flink's CLI, detached, restoring SNAPSHOT (a
# checkpoint or savepoint folder) when given. Returns once the JobManager has accepted it.
submit_job() {
  local parallelism="$1" restore=() out
  [[ -z "${2:-}" ]] || restore=(-s "$2")
  cds_flags flink-cli
  out="$("$JAVA" "${QUICK_JVM[@]}" "${CDS[@]}" -Xmx512m "${JAVA17_OPENS[@]}" -Dlog.file="$LOG_DIR/flink-cli.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j-cli.properties" -cp "$CP" \
    org.apache.flink.client.cli.CliFrontend run -d -p "$parallelism" -c "$JOB_CLASS" "${restore[@]}" \
    "$LIB_DIR/job/statefun-flink-core.jar" 2>&1)" \
    || { printf '%s\n' "$out" >>"$LOG_DIR/flink-cli.log"; return 1; }
  printf '%s\n' "$out" >>"$LOG_DIR/flink-cli.log"
}

# newest_snapshot: the folder of the newest complete retained checkpoint or savepoint (it has _metadata), or
# nothing. A savepoint counts: after `stack:rescale` it may be newer than any checkpoint of the new job.
newest_snapshot() {
  {
    find "$DATA_DIR/checkpoints" -mindepth 3 -maxdepth 3 -name _metadata -path '*/chk-*' -printf '%T@ %h\n' 2>/dev/null
    find "$DATA_DIR/savepoints" -mindepth 2 -maxdepth 2 -name _metadata -path '*/savepoint-*' -printf '%T@ %h\n' 2>/dev/null
  } | sort -rn | head -1 | cut -d' ' -f2-
}
