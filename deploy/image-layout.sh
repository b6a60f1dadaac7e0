#!/bin/sh
# Lays out one deployable under OUT exactly as its image holds it: the compiled workspaces it runs and
# the production dependencies of those alone. Run from the build directory after `npm ci` and `tsc -b`;
# it prunes that directory's node_modules in place. The Dockerfile runs it once per target; the same
# script outside Docker (deploy/image-check.sh) proves the layout starts.
# Usage: image-layout.sh gateway|functions OUT
set -eu

target=${1:?usage: image-layout.sh gateway|functions OUT}
out=${2:?usage: image-layout.sh gateway|functions OUT}
case "$target" in
  gateway)
    workspaces="protos libs/observability libs/broker libs/service-kit services/users services/payments services/stock services/orders services/gateway"
    ;;
  functions)
    workspaces="protos libs/observability libs/statefun functions"
    ;;
  *)
    echo "image-layout.sh: unknown target '$target' (gateway or functions)" >&2
    exit 2
    ;;
esac

# npm prune keeps the dependencies of every workspace the root package.json lists. Listing only this
# target's drops the rest (bench's undici, the embedded runtime's yaml, the other target's packages)
# and their node_modules/@shop links. Prune runs no install scripts, so the kafkajs patch that npm ci's
# postinstall applied stays; `npm ci --omit=dev` would fail instead, its postinstall needing the
# patch-package devDependency.
# shellcheck disable=SC2086 # the list is split on purpose
node -e '
  const fs = require("node:fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  pkg.workspaces = process.argv.slice(1);
  fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
' $workspaces
npm prune --omit=dev --no-audit --no-fund --loglevel=error

mkdir -p "$out"
cp -a package.json node_modules "$out/"
for ws in $workspaces; do
  mkdir -p "$out/$ws"
  cp -a "$ws/package.json" "$ws/dist" "$out/$ws/"
  # A workspace's own node_modules holds what npm could not hoist: a version other than the root's
  # (TypeBox 0.34 here, while jest keeps 0.27 at the root).
  if [ -d "$ws/node_modules" ]; then cp -a "$ws/node_modules" "$out/$ws/"; fi
done
# protos/src/root.ts loads these at start.
mkdir -p "$out/protos/statefun"
cp -a protos/*.proto "$out/protos/"
cp -a protos/statefun/*.proto "$out/protos/statefun/"
# Declarations and source maps serve the compiler and a debugger with the sources, neither of which
# the image has.
find "$out" -path "$out/node_modules" -prune -o -type f \( -name '*.d.ts' -o -name '*.map' \) -exec rm -f {} +
