#!/usr/bin/env bash
# The Dockerfile's stages without Docker: copies the build context, runs the same npm ci, tsc -b and
# deploy/image-layout.sh, then starts each image's CMD from its final layout. The gateway is pointed
# at closed ports and must fail on the connection, not on a missing module; the functions must answer
# /healthz. Uses the node on PATH (the images use Node 22) and the repo's node_modules (npm ci), for
# Docker's .dockerignore rules. Prints one line per step.
# Env: IMAGE_CHECK_DIR (default: a new /tmp/image-check.* directory, removed on success),
# NPM_LOCK (a file to flock around npm ci), FUNCTIONS_PORT (default 18001).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${IMAGE_CHECK_DIR:-$(mktemp -d /tmp/image-check.XXXXXX)}"
port="${FUNCTIONS_PORT:-18001}"
say() { printf 'image-check: %s\n' "$*"; }
die() { printf 'image-check: error: %s\n' "$*" >&2; exit 1; }

# The context as .dockerignore admits it, by Docker's matching rules (deploy/build-context.mjs).
rm -rf "$work/build"
mkdir -p "$work/build"
node "$repo/deploy/build-context.mjs" "$repo" | (cd "$repo" && tar -cf - -T -) | tar -xf - -C "$work/build"
say "context: $(find "$work/build" -type f | wc -l) files"

cd "$work/build"
lock=()
[[ -n "${NPM_LOCK:-}" ]] && lock=(flock "$NPM_LOCK")
${lock[@]+"${lock[@]}"} npm ci --no-audit --no-fund --loglevel=error >"$work/npm-ci.log" 2>&1 || die "npm ci failed (see $work/npm-ci.log)"
npx tsc -b functions services/gateway || die "tsc -b failed"
say "build: npm ci + tsc -b functions services/gateway ok"

for target in gateway functions; do
  rm -rf "${work:?}/$target-files" "${work:?}/$target"
  cp -a "$work/build" "$work/$target-files"
  (cd "$work/$target-files" && sh deploy/image-layout.sh "$target" "$work/$target") >"$work/layout-$target.log" 2>&1 ||
    die "image-layout.sh $target failed (see $work/layout-$target.log)"
  patched="$(grep -c 'Patched (statefun-shop)' "$work/$target/node_modules/kafkajs/src/consumer/filterAbortedMessages.js" 2>/dev/null || true)"
  say "$target: $(du -sh "$work/$target" | cut -f1) ($(du -sh "$work/$target/node_modules" | cut -f1) node_modules, $(find "$work/$target/node_modules" -mindepth 1 -maxdepth 1 | wc -l) entries), kafkajs patch lines: ${patched:-0}"
done
[[ "$(grep -c 'Patched (statefun-shop)' "$work/gateway/node_modules/kafkajs/src/consumer/filterAbortedMessages.js")" == 1 ]] ||
  die "the kafkajs patch is missing from the gateway's node_modules"
for gone in typescript jest patch-package undici yaml; do
  [[ ! -e "$work/gateway/node_modules/$gone" ]] || die "gateway image would ship $gone"
done
[[ ! -e "$work/functions/node_modules/kafkajs" ]] || die "functions image would ship kafkajs"

# gateway: NODE_ENV as in the image; Kafka and Redis on closed ports.
cd "$work/gateway"
NODE_ENV=production KAFKA_BROKERS=127.0.0.1:1 REDIS_URL=redis://127.0.0.1:1 GATEWAY_REPLICAS=1 PORT=0 \
  HTTP_INGRESS_PORT=0 timeout 40 node services/gateway/dist/main.js >"$work/gateway.out" 2>&1 &
gw=$!
for _ in $(seq 1 80); do
  grep -q 'failed to start' "$work/gateway.out" && break
  kill -0 "$gw" 2>/dev/null || break
  sleep 0.5
done
kill "$gw" 2>/dev/null || true
wait "$gw" 2>/dev/null || true
if grep -qE 'Cannot find module|ERR_MODULE_NOT_FOUND|ENOENT' "$work/gateway.out"; then
  die "gateway is missing a file: $(grep -m1 -E 'Cannot find module|ERR_MODULE_NOT_FOUND|ENOENT' "$work/gateway.out")"
fi
grep -q 'failed to start' "$work/gateway.out" || die "gateway did not fail on the connection (see $work/gateway.out)"
say "gateway: starts, fails on the connection: $(grep -m1 'failed to start' "$work/gateway.out")"

cd "$work/functions"
NODE_ENV=production FUNCTIONS_PORT="$port" FUNCTIONS_HOST=127.0.0.1 node functions/dist/main.js >"$work/functions.out" 2>&1 &
fn=$!
trap 'kill "$fn" 2>/dev/null || true' EXIT
answer=""
for _ in $(seq 1 40); do
  answer="$(node -e "fetch('http://127.0.0.1:$port/healthz').then(async (r) => console.log(r.status, await r.text()), () => {})")"
  [[ -n "$answer" ]] && break
  sleep 0.25
done
kill "$fn" 2>/dev/null || true
wait "$fn" 2>/dev/null || true
[[ "$answer" == "200 "* ]] || die "functions /healthz answered '${answer:-nothing}' (see $work/functions.out)"
say "functions: GET /healthz -> $answer"

[[ -n "${IMAGE_CHECK_DIR:-}" ]] || rm -rf "$work"
say "ok"
