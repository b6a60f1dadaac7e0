#!/usr/bin/env bash
# Measures the stack under the bench's stress mix for each configuration given, one line of
# environment variables each, e.g.
#   stack/bench/sweep.sh 'STATEFUN_CHECKPOINT_INTERVAL=100ms' 'STATEFUN_STATE_BACKEND=hashmap'
# For every configuration it stops the whole stack, deletes its data (so every run starts alike, and a
# change of state backend needs no migration), starts it with those variables, runs
# `npm run bench -- --scenario stress --url …` twice — a warm-up for the JVMs' compilers, then the one
# measured (BENCH_ARGS, default `--duration 15 --stress-size 10000`) — and prints one table row from the
# JSON report of the second. The stack is left running with the last configuration.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../bin/lib.sh
source "$(dirname "$0")/../bin/lib.sh"
cd "$REPO_ROOT"
read -r -a bench_args <<<"${BENCH_ARGS:---duration 15 --stress-size 10000}"
out="${SWEEP_OUT:-$REPO_ROOT/bench/results/sweep}"
mkdir -p "$out"

row() { # JSON report, configuration, Flink checkpoint JSON -> one markdown row
  node -e '
    const [file, config, checkpoints] = process.argv.slice(1);
    const r = require(file);
    const stress = r.phases.find((p) => p.scenario === "stress");
    const reads = stress.endpoints.filter((e) => e.endpoint.startsWith("GET "));
    const worst = (k) => Math.round(Math.max(...reads.map((e) => e.latency[k])));
    const co = stress.endpoints.find((e) => e.endpoint === "POST /orders/checkout").latency;
    const d = JSON.parse(checkpoints || "{}").summary?.end_to_end_duration;
    const i = r.stress.initSeconds;
    console.log(
      `| ${config} | ${Math.round(stress.overall.throughput)} | ${worst("p50Ms")} | ${worst("p99Ms")} | ` +
        `${Math.round(co.p50Ms)} | ${Math.round(co.p99Ms)} | ${d ? `${d.p50} / ${Math.round(d.p99)}` : "–"} | ` +
        `${i.users} / ${i.items} / ${i.orders} s |`,
    );
  ' "$1" "$2" "$3"
}

checkpoints() { # Flink's checkpoint statistics of the running job (since it started: this run)
  local jid
  jid="$(curl -fsS "http://127.0.0.1:$FLINK_REST_PORT/jobs/overview" \
    | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).jobs.find((j)=>j.state==="RUNNING")?.jid??""))')"
  [[ -n "$jid" ]] && curl -fsS "http://127.0.0.1:$FLINK_REST_PORT/jobs/$jid/checkpoints" || echo '{}'
}

say "| configuration | req/s | reads p50 | reads p99 | checkout p50 | checkout p99 | checkpoint p50 / p99 ms | batch_init users / items / orders |"
say "|---|---:|---:|---:|---:|---:|---:|---:|"
for config in "$@"; do
  "$STACK_BIN/stop.sh" >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
  read -r -a vars <<<"$config"
  env "${vars[@]}" STACK_DETACH=1 "$STACK_BIN/run.sh" >"$out/stack.log" 2>&1 \
    || { say "| $config | stack did not start (see $out/stack.log) |"; continue; }
  # A first, unmeasured run: freshly started JVMs spend most of a core compiling for a minute or so.
  npm run bench --silent -- --scenario stress --no-baselines --url "http://127.0.0.1:${PORT:-8000}" \
    --out "$out/warm-up" --duration 20 --stress-size 10000 >"$out/bench.log" 2>&1 || true
  npm run bench --silent -- --scenario stress --no-baselines --url "http://127.0.0.1:${PORT:-8000}" --out "$out" \
    "${bench_args[@]}" >>"$out/bench.log" 2>&1 || true
  report="$(ls -t "$out"/bench-*.json | head -1)"
  row "$report" "$config" "$(checkpoints)"
done
