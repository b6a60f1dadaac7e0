#!/usr/bin/env bash
# The shop's remote functions (functions/, the StateFun HTTP endpoint of module.yaml) on
# 127.0.0.1:$FUNCTIONS_PORT (default 8001): what `npm run start:functions` does (build, then
# node functions/dist/main.js), but detached with a pid file so stop.sh can end it. STACK_FUNCTIONS
# (default 1) servers share the port (FUNCTIONS_WORKERS: a Node cluster whose primary replaces a server
# that dies); the pid file is the primary's, the servers are its children.
# Log .stack/logs/functions.log. Needs `npm ci` to have been run in the repo.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

if is_running functions functions/dist/main.js; then
  say "functions: already running (pid $(cat "$(pidfile functions)")) on 127.0.0.1:$FUNCTIONS_PORT"
  exit 0
fi
port_open "$FUNCTIONS_PORT" && die "port $FUNCTIONS_PORT is taken by a process this stack did not start"
[[ -d "$REPO_ROOT/node_modules" ]] || die "no node_modules in $REPO_ROOT: run npm ci there first"

t0=$(now_ms)
(cd "$REPO_ROOT" && npm run build --silent) >"$LOG_DIR/functions-build.log" 2>&1 \
  || die "npm run build failed (see $LOG_DIR/functions-build.log)"
t_build=$(now_ms)
(cd "$REPO_ROOT" && FUNCTIONS_PORT="$FUNCTIONS_PORT" FUNCTIONS_HOST="${FUNCTIONS_HOST:-127.0.0.1}" FUNCTIONS_WORKERS="$STACK_FUNCTIONS" \
  start_bg functions "$LOG_DIR/functions.log" node functions/dist/main.js)
wait_for 30 functions port_open "$FUNCTIONS_PORT" \
  || die "functions server not listening on $FUNCTIONS_PORT (see $LOG_DIR/functions.log)"
say "functions: $STACK_FUNCTIONS server(s) (pid $(cat "$(pidfile functions)")) on 127.0.0.1:$FUNCTIONS_PORT in $(( $(now_ms) - t0 )) ms (build $(( t_build - t0 )) ms)"
