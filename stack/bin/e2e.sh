#!/usr/bin/env bash
# `npm run test:e2e`: starts the real stack (if it is not running yet), runs the API suite and the
# real-engine tests against it on :8000, then stops what it started. Exit status: the tests'.
#
# Without arguments it runs in two phases: the API files and the wire test side by side (each request
# waits for a checkpoint, so the suite is bound by latency, not by CPU), then the fault tests alone, since
# they kill parts of the stack. With arguments they are passed to one jest run (e.g. a path filter).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

started=0
if ! curl -fsS "http://127.0.0.1:${PORT:-8000}/healthz" >/dev/null 2>&1; then
  STACK_DETACH=1 "$STACK_BIN/run.sh"
  started=1
fi
finish() { if ((started)); then "$STACK_BIN/stop.sh" >/dev/null || true; fi; }
trap finish EXIT
cd "$REPO_ROOT"
export SHOP_URL="http://127.0.0.1:${PORT:-8000}"
jest=(npx jest -c jest.e2e.config.js)
if (($#)); then
  "${jest[@]}" "$@"
else
  "${jest[@]}" --maxWorkers="${E2E_WORKERS:-4}" --testPathIgnorePatterns '/node_modules/' '/dist/' 'test/e2e/faults'
  "${jest[@]}" --runInBand test/e2e/faults
fi
