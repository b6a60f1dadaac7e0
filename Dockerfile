# syntax=docker/dockerfile:1
# The shop's two images from one build:
#   docker build --target gateway   -t statefun-shop/gateway:0.1.0 .
#   docker build --target functions -t statefun-shop/functions:0.1.0 .
# The gateway image also runs the domain services (SHOP_DOMAINS=users ...). Kafka, Redis and StateFun
# come from their official images (docker-compose.yml). deploy/image-check.sh repeats these stages
# without Docker.

ARG NODE_IMAGE=node:22-slim

# ---- build: every dependency, then the TypeScript of the two deployables -----------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests, lockfile and patches first: this layer and npm ci below are reused until one of them
# changes. npm ci installs devDependencies too (tsc, and patch-package for the kafkajs patch).
COPY package.json package-lock.json ./
COPY patches/ patches/
COPY protos/package.json protos/
COPY libs/statefun/package.json libs/statefun/
COPY libs/broker/package.json libs/broker/
COPY libs/service-kit/package.json libs/service-kit/
COPY libs/observability/package.json libs/observability/
COPY functions/package.json functions/
COPY runtime/embedded/package.json runtime/embedded/
COPY services/users/package.json services/users/
COPY services/payments/package.json services/payments/
COPY services/stock/package.json services/stock/
COPY services/orders/package.json services/orders/
COPY services/gateway/package.json services/gateway/
COPY launcher/package.json launcher/
COPY bench/package.json bench/
COPY tools/validate-deploy/package.json tools/validate-deploy/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

COPY tsconfig.base.json ./
COPY protos/ protos/
COPY libs/ libs/
COPY functions/ functions/
COPY services/ services/
COPY deploy/image-layout.sh deploy/
# Only the two deployables and the workspaces they reference; launcher, bench and tools are not built.
RUN npx tsc -b functions services/gateway

# ---- one pruned layout per target (deploy/image-layout.sh) -------------------------------------------
FROM build AS gateway-files
RUN sh deploy/image-layout.sh gateway /out

FROM build AS functions-files
RUN sh deploy/image-layout.sh functions /out

# ---- what both targets share --------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.vendor="statefun-shop" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="docker.io/library/node:22-slim"
ENV NODE_ENV=production
WORKDIR /app
# The files stay root's and read-only to the process, which runs as node (uid 1000, from the base
# image). No init process: node is PID 1 and both programs handle SIGTERM and SIGINT themselves
# (services/gateway/src/main.ts, functions/src/main.ts), and the only children are the gateway's own
# cluster workers, which it waits for.
USER node

# ---- gateway: REST API (8000), HTTP ingress (5555), /metrics (9464); with SHOP_DOMAINS, a domain service
FROM runtime AS gateway
LABEL org.opencontainers.image.title="statefun-shop gateway" \
      org.opencontainers.image.description="REST gateway and domain services of statefun-shop"
COPY --from=gateway-files /out/ /app/
EXPOSE 8000 5555 9464
# Liveness: is the process answering? /readyz (Kafka and Redis reachable) is for orchestrators that
# route traffic; a Docker health check that failed on a Kafka outage would get healthy replicas
# replaced under Swarm. node's fetch, since the slim image has neither curl nor wget.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "services/gateway/dist/main.js"]

# ---- functions: the StateFun remote functions (8001, POST /statefun) ------------------------------------
FROM runtime AS functions
LABEL org.opencontainers.image.title="statefun-shop functions" \
      org.opencontainers.image.description="StateFun remote functions of statefun-shop"
COPY --from=functions-files /out/ /app/
EXPOSE 8001
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.FUNCTIONS_PORT || 8001) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "functions/dist/main.js"]
