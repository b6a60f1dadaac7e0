#!/usr/bin/env bash
# `npm run stack:rescale -- P`: the running StateFun job at parallelism P, state and Kafka offsets kept.
#   1. a savepoint of the job, which is then cancelled (Flink's stop-with-savepoint fails on StateFun's
#      Kafka source: see flink-rest.mjs);
#   2. the job submitted again at parallelism P from that savepoint: each subtask takes its share of the
#      128 key groups, the Kafka source its share of the partitions and their offsets;
#   3. a line with the savepoint, the old and new parallelism, and the downtime: from the savepoint's
#      trigger until the new job's first checkpoint, since replies (exactly-once egress) wait for one.
# Refused, before anything stops: P not a whole number from 1 to 128 (the max parallelism), fewer slots
# than P (add TaskManagers first: STACK_TASKMANAGERS=N bash stack/bin/statefun.sh), no job running.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=flink-lib.sh
source "$STACK_BIN/flink-lib.sh"

usage="usage: npm run stack:rescale -- P   (P: the new parallelism, a whole number from 1 to $MAX_PARALLELISM)"
(($# == 1)) || die "$usage"
target="$1"
[[ "$target" =~ ^[0-9]+$ ]] || die "parallelism \"$target\" is not a whole number; $usage"
target=$((10#$target))
((target >= 1)) || die "parallelism must be at least 1; $usage"
((target <= MAX_PARALLELISM)) || die "parallelism $target is above the job's max parallelism $MAX_PARALLELISM: the state has $MAX_PARALLELISM key groups, and a subtask needs at least one"

exec 9>"$RUN_DIR/rescale.lock"
flock -n 9 || die "another rescale is under way"

read -r slots _ <<<"$($REST slots 2>/dev/null || echo "down down")"
[[ "$slots" != down ]] || die "Flink is not running on http://127.0.0.1:$FLINK_REST_PORT (start the stack: npm run stack)"
job_running || die "the StateFun job is not running (now: ${state:-none} ${tasks:-}); nothing was changed"
current="$($REST parallelism "$jid")"
if ((target == current)); then
  say "rescale: job $jid already runs at parallelism $target; nothing to do"
  exit 0
fi
if ((target > slots)); then
  tms="$($REST taskmanagers)"
  per=$((slots / tms))
  die "parallelism $target needs $target task slots, the cluster has $slots ($tms TaskManager(s) x $per); add TaskManagers first, e.g. STACK_TASKMANAGERS=$(( (target + per - 1) / per )) STACK_TASK_SLOTS=$per bash stack/bin/statefun.sh; nothing was changed"
fi

t0=$(now_ms)
mkdir -p "$DATA_DIR/savepoints"
savepoint="$($REST savepoint "$jid" "file://$DATA_DIR/savepoints" 2>&1)" || die "$savepoint"
savepoint="${savepoint#file:}"
t_saved=$(now_ms)
old_jid="$jid"
submit_job "$target" "file://$savepoint" \
  || die "submitting the job at parallelism $target failed (see $LOG_DIR/flink-cli.log); the job is stopped, its state is in $savepoint: bash stack/bin/statefun.sh resumes it at STATEFUN_PARALLELISM"
t_submitted=$(now_ms)
new_job() { job_running && [[ "$jid" != "$old_jid" ]]; }
wait_for 180 "job" new_job || die "the job at parallelism $target is not RUNNING after 180 s (now: ${state:-?} ${tasks:-}); see $LOG_DIR/flink-jobmanager.log"
t_running=$(now_ms)
checkpointed() { local n; read -r n _ <<<"$($REST checkpoints "$jid" 2>/dev/null || echo 0)"; ((n >= 1)); }
wait_for 120 "first checkpoint" checkpointed || die "job $jid runs at parallelism $target, but no checkpoint completed within 120 s: replies wait for one"
t_checkpoint=$(now_ms)

secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
say "rescale: parallelism $current -> $target, job $old_jid -> $jid, from savepoint ${savepoint#"$REPO_ROOT"/}"
say "rescale: downtime $(secs $((t_checkpoint - t0))) (savepoint $(secs $((t_saved - t0))), submit $(secs $((t_submitted - t_saved))), until running $(secs $((t_running - t_submitted))), first checkpoint $(secs $((t_checkpoint - t_running))))"
