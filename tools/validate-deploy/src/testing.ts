// Small, valid deployment fixtures for the unit tests: each test breaks one rule on a copy and expects
// exactly that rule's problem. Not part of the build (tsconfig excludes it).
import type { ComposeService } from './compose';
import { parseDockerfile } from './dockerfile';
import type { DeployFiles, Overlay } from './inputs';
import type { K8sObject } from './k8s';
import type { Obj } from './data';

export const DOCKERFILE = `
ARG NODE_IMAGE=node:22-slim
FROM \${NODE_IMAGE} AS build
RUN npm ci
FROM \${NODE_IMAGE} AS runtime
USER node
FROM runtime AS gateway
HEALTHCHECK --interval=10s \\
  CMD ["node", "-e", "process.exit(0)"]
CMD ["node", "services/gateway/dist/main.js"]
FROM runtime AS functions
HEALTHCHECK CMD ["node", "-e", "process.exit(0)"]
CMD ["node", "functions/dist/main.js"]
`;

export function object(kind: string, name: string, raw: Obj, apiVersion = 'v1'): K8sObject {
  return {
    source: 'k8s/overlays/test',
    apiVersion,
    kind,
    name,
    namespace: 'shop',
    raw: { apiVersion, kind, metadata: { name, namespace: 'shop' }, ...raw },
  };
}

export function container(overrides: Obj = {}): Obj {
  return {
    name: 'app',
    image: 'statefun-shop/gateway:0.1.0',
    ports: [{ name: 'http', containerPort: 8000 }],
    readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    env: [
      { name: 'KAFKA_BROKERS', value: 'kafka:9092' },
      { name: 'REDIS_URL', value: 'redis://redis:6379' },
      { name: 'GATEWAY_REPLICAS', value: '1' },
    ],
    ...overrides,
  };
}

export function deployment(name: string, containers: Obj[] = [container()], podSpec: Obj = {}): K8sObject {
  return object(
    'Deployment',
    name,
    {
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers, ...podSpec } },
      },
    },
    'apps/v1',
  );
}

export function service(
  name: string,
  selector: Record<string, string>,
  ports: Obj[] = [{ name: 'http', port: 8000, targetPort: 'http' }],
): K8sObject {
  return object('Service', name, { spec: { selector, ports } });
}

export function overlay(objects: K8sObject[], dir = 'k8s/overlays/test'): Overlay {
  return { dir, objects };
}

export function composeService(name: string, overrides: Partial<ComposeService> = {}): ComposeService {
  return {
    name,
    image: 'redis:7.4-alpine',
    build: undefined,
    environment: {},
    healthcheck: true,
    dependsOn: [],
    oneShot: false,
    binds: [],
    mounts: [],
    raw: {},
    ...overrides,
  };
}

export function files(partial: Partial<DeployFiles> = {}): DeployFiles {
  return {
    dockerfile: { file: 'Dockerfile', stages: parseDockerfile(DOCKERFILE) },
    compose: undefined,
    overlays: [],
    ...partial,
  };
}

/** Only the messages, for short assertions. */
export function messages(problems: { message: string }[]): string[] {
  return problems.map((p) => p.message);
}
