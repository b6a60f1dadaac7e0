#!/usr/bin/env bash
# Fuzzes the REST API with Schemathesis against the description the shop serves (GET /openapi.json), and
# then the HTTP ingress against its own (GET /in/openapi.json):
# installs Schemathesis if needed (install.sh), builds, starts the embedded shop (`npm start`'s) on free
# ports, waits for /healthz, runs every check and phase with a fixed seed (tools/fuzz/schemathesis.toml),
# then stops the shop. Exits non-zero on any failure, or if the shop logged an error of its own.
#
#   npm run fuzz                          the run
#   npm run fuzz -- <schemathesis run options>, e.g. --include-operation-id checkout
#   bash tools/fuzz/run.sh replay         sends the failures the last run stored again, to a fresh shop
#                                         (the REST API's; an ingress one: add its crash file's path and
#                                         --schema-location <printed shop URL's host>:<ingress port>/in/openapi.json)
set -euo pipefail
cd "$(dirname "$0")/../.."

st=.tools/schemathesis/venv/bin/schemathesis
config=tools/fuzz/schemathesis.toml
work=.tools/schemathesis
shop_log=$work/shop.log

bash tools/fuzz/install.sh
npm run build --silent
mkdir -p "$work"
# Hypothesis (under Schemathesis) keeps its caches here rather than in .hypothesis/ at the repository root.
export HYPOTHESIS_STORAGE_DIRECTORY=$work/hypothesis

free_port() {
  node -e "const s = require('net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}
port=$(free_port)
ingress_port=$(free_port)
url="http://127.0.0.1:$port"
ingress_url="http://127.0.0.1:$ingress_port"

# The shop `npm start` runs, on ports of its own (another shop may hold 8000 and 5555).
PORT=$port HTTP_INGRESS_PORT=$ingress_port HOST=127.0.0.1 LOG_LEVEL=warn node launcher/dist/main.js >"$shop_log" 2>&1 &
shop=$!
stop_shop() {
  if kill -0 "$shop" 2>/dev/null; then
    kill "$shop"
    wait "$shop" 2>/dev/null || true
  fi
}
trap stop_shop EXIT

for _ in $(seq 1 120); do
  if node -e "fetch('$url/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    break
  fi
  if ! kill -0 "$shop" 2>/dev/null; then
    echo "fuzz: the shop did not start:" >&2
    cat "$shop_log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "fuzz: shop on $url (log: $shop_log)"

if [[ ${1:-} == replay ]]; then
  shift
  "$st" --config-file "$config" replay --url "$url" --schema-location "$url/openapi.json" "$@"
  exit $?
fi

# Each run's full output goes to a file of its own; what is printed is one line per run (its cases, its
# failures) — and, when it failed, the whole output with each failure's replay command.
schemathesis_run() {
  local name=$1 out="$work/$1.out"
  shift
  local run_status=0
  "$st" --config-file "$config" run "$@" >"$out" 2>&1 || run_status=$?
  local cases
  cases=$(grep -A1 '^Test cases:' "$out" | tail -1 | sed 's/^ *//')
  echo "fuzz: $name: ${cases:-no test cases reported}; exit status $run_status (output: $out)"
  if [[ $run_status -ne 0 ]]; then
    cat "$out" >&2
  fi
  return $run_status
}

started=$(date +%s)
status=0
# Options that pick some operations would leave the stateful phase without the links it chains (an
# error in Schemathesis): such a run takes the single-request phases, unless it names its own.
options=("$@")
if [[ $# -gt 0 && " $* " != *" --phases"* ]]; then
  options+=(--phases examples,coverage,fuzzing)
fi
schemathesis_run rest "$url/openapi.json" "${options[@]}" || status=$?
# The HTTP ingress describes itself too (its paths carry the prefix, so the base URL is the bare origin).
# Skipped when options were given: they name the REST API's operations.
if [[ $# -eq 0 ]]; then
  ingress_status=0
  schemathesis_run ingress "$ingress_url/in/openapi.json" --url "$ingress_url" || ingress_status=$?
  [[ $status -ne 0 ]] || status=$ingress_status
fi
echo "fuzz: Schemathesis finished in $(($(date +%s) - started)) s with exit status $status"

# Failures inside the shop (a function that throws, a dropped reply) never reach HTTP: its log has them.
if grep -q '"level":50\|"level":60' "$shop_log"; then
  echo "fuzz: the shop logged errors while fuzzed:" >&2
  grep '"level":50\|"level":60' "$shop_log" | head -20 >&2
  status=1
fi

if [[ $status -ne 0 ]]; then
  cat >&2 <<EOF
fuzz: FAILED. To replay:
  - each failure above with its curl command, against any running shop (npm start);
  - the failures this run stored, on a fresh shop:  bash tools/fuzz/run.sh replay
  - the whole run, which the fixed seed repeats:     npm run fuzz
    (only some operations: npm run fuzz -- --include-operation-id <operationId>)
  Output: $work/rest.out, $work/ingress.out; reports (JUnit, NDJSON): $work/report
EOF
fi
exit $status
