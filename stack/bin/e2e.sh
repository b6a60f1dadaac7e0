#!/usr/bin/env bash
# `npm run test:e2e`: starts the real stack (if it is not running yet), runs the API suite and the
# real-engine tests against it on :8000, then stops what it started. Exit status: the tests'.
#
# Without arguments it runs everything once per read path (E2E_READ_REPLIES, default "fast committed":
# the gateway is restarted with READ_REPLIES set to each in turn), each time in two phases: the API files
# and the other real-engine tests side by side (writes wait for a checkpoint, so the suite is bound by
# latency, not by CPU), then the fault and rescale tests alone, since they kill or stop parts of the stack. With arguments
# they are passed to one jest run (e.g. a path filter), in the gateway's current mode.
set -euo pipefail
# A stack it starts is scaled out, so that every test runs across TaskManagers and functions servers: two
# of each, the job at parallelism 2 on 2 x 2 slots, which leaves the rescale test room to go to 4. Exported,
# so that the fault tests start what they kill the same way again.
export STACK_TASKMANAGERS="${STACK_TASKMANAGERS:-2}" STACK_TASK_SLOTS="${STACK_TASK_SLOTS:-2}"
export STATEFUN_PARALLELISM="${STATEFUN_PARALLELISM:-2}" STACK_FUNCTIONS="${STACK_FUNCTIONS:-2}"
# (Before lib.sh, which gives them the defaults of a plain `npm run stack`.)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

GATEWAY_URL="http://127.0.0.1:${PORT:-8000}"
# Two replicas, whatever the stack's default: the tests route replies between them and kill one.
original_replicas="${GATEWAY_REPLICAS:-1}"
export GATEWAY_REPLICAS="${E2E_GATEWAY_REPLICAS:-2}"
read_replies() { curl -fsS "$GATEWAY_URL/" | sed -n 's/.*"read_replies":"\([a-z]*\)".*/\1/p'; }
ours=0 # whether the running gateway was started here, with GATEWAY_REPLICAS
gateway_in_mode() { # MODE: restart the gateway with READ_REPLIES=MODE unless it runs so already
  ((ours)) && [[ "$(read_replies)" == "$1" ]] && return 0
  "$STACK_BIN/stop.sh" gateway >/dev/null
  ours=1
  READ_REPLIES="$1" "$STACK_BIN/gateway.sh"
}

started=0
if ! curl -fsS "$GATEWAY_URL/healthz" >/dev/null 2>&1; then
  STACK_DETACH=1 "$STACK_BIN/run.sh"
  started=1
  ours=1
fi
original="$(read_replies)"
finish() {
  if ((started)); then
    "$STACK_BIN/stop.sh" >/dev/null || true
  elif [[ -n "$original" ]]; then
    ours=0
    GATEWAY_REPLICAS="$original_replicas" gateway_in_mode "$original" >/dev/null || true
  fi
}
trap finish EXIT
cd "$REPO_ROOT"
export SHOP_URL="$GATEWAY_URL"
jest=(npx jest -c jest.e2e.config.js)
if (($#)); then
  "${jest[@]}" "$@"
  exit
fi
# Tests of the stack itself rather than of the gateway's read path (test/e2e/dashboard: Prometheus and the
# dashboard's queries) run in the first pass only: E2E_FIRST_PASS=0 skips them in the others.
export E2E_FIRST_PASS=1
for mode in ${E2E_READ_REPLIES:-fast committed}; do
  gateway_in_mode "$mode"
  say "e2e: READ_REPLIES=$mode"
  "${jest[@]}" --maxWorkers="${E2E_WORKERS:-4}" --testPathIgnorePatterns '/node_modules/' '/dist/' 'test/e2e/faults' 'test/e2e/rescale'
  "${jest[@]}" --runInBand test/e2e/faults test/e2e/rescale
  E2E_FIRST_PASS=0
done
