#!/usr/bin/env bash
# The whole real-engine stack, in order, each step idempotent: install.sh, redis.sh, kafka.sh, topics.sh,
# functions.sh (unless NO_FUNCTIONS=1, e.g. when the functions run elsewhere), statefun.sh; prometheus.sh
# alongside them from the start (it scrapes each process once it is up, so it waits for none of them).
# Prints each step's line, then the total time from the first step to the StateFun job RUNNING.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
t0=$(now_ms)
"$STACK_BIN/install.sh"
"$STACK_BIN/prometheus.sh" &
prometheus_pid=$!
"$STACK_BIN/redis.sh"
"$STACK_BIN/kafka.sh"
"$STACK_BIN/topics.sh"
[[ "${NO_FUNCTIONS:-0}" == 1 ]] || "$STACK_BIN/functions.sh"
"$STACK_BIN/statefun.sh"
wait "$prometheus_pid" || die "prometheus.sh failed"
say "up: stack ready in $(( $(now_ms) - t0 )) ms (Kafka $KAFKA_BOOTSTRAP, Redis 127.0.0.1:$REDIS_PORT, functions 127.0.0.1:$FUNCTIONS_PORT, Flink REST http://127.0.0.1:$FLINK_REST_PORT, Prometheus http://127.0.0.1:$PROMETHEUS_PORT)"
