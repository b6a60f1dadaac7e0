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

// Pod templates: containers and volumes kept as they are; a port (int-or-string), an open object.
const POD_TEMPLATE_SCHEMA = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        containers: {
          type: 'array',
          items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
        volumes: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

const ROLE_SCHEMA = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    resource: { type: 'object', properties: { memory: { type: 'string' }, cpu: { type: 'number' } } },
    podTemplate: POD_TEMPLATE_SCHEMA,
  },
};

/** A CRD shaped like the operator's FlinkDeployment CRD: no required fields, enums, an int-or-string. */
export const FLINK_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'flinkdeployments.flink.apache.org' },
  spec: {
    group: 'flink.apache.org',
    names: { kind: 'FlinkDeployment', plural: 'flinkdeployments' },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: {
                  image: { type: 'string' },
                  flinkVersion: { type: 'string', enum: ['v1_15', 'v1_16', 'v1_17'] },
                  serviceAccount: { type: 'string' },
                  flinkConfiguration: { type: 'object', additionalProperties: { type: 'string' } },
                  job: {
                    type: 'object',
                    properties: {
                      jarURI: { type: 'string' },
                      parallelism: { type: 'integer' },
                      upgradeMode: { type: 'string', enum: ['last-state', 'savepoint', 'stateless'] },
                    },
                  },
                  podTemplate: POD_TEMPLATE_SCHEMA,
                  jobManager: ROLE_SCHEMA,
                  taskManager: ROLE_SCHEMA,
                },
              },
              status: { type: 'object', properties: { state: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

/** A FlinkDeployment of the shop's shape, valid against FLINK_CRD and the shop's own rules. */
export function flinkDeployment(spec: Obj = {}): K8sObject {
  return object(
    'FlinkDeployment',
    'statefun',
    {
      spec: {
        image: 'apache/flink-statefun:3.3.0',
        flinkVersion: 'v1_16',
        serviceAccount: 'statefun',
        flinkConfiguration: {
          'statefun.remote.module-name': 'file:///opt/statefun/modules/shop/module.yaml',
          'pipeline.max-parallelism': '128',
          'state.checkpoints.dir': 's3://bucket/checkpoints',
          'state.savepoints.dir': 's3://bucket/savepoints',
          'high-availability.storageDir': 's3://bucket/ha',
          'high-availability': 'kubernetes',
          'state.backend': 'rocksdb',
        },
        job: {
          jarURI: 'local:///opt/flink/lib/statefun-flink-distribution.jar',
          parallelism: 8,
          upgradeMode: 'savepoint',
        },
        jobManager: { resource: { memory: '1024m' }, podTemplate: moduleTemplate() },
        taskManager: { resource: { memory: '4096m' }, podTemplate: moduleTemplate() },
        ...spec,
      },
    },
    'flink.apache.org/v1beta1',
  );
}

function moduleTemplate(): Obj {
  return {
    spec: {
      containers: [
        {
          name: 'flink-main-container',
          volumeMounts: [
            {
              name: 'statefun-config',
              mountPath: '/opt/statefun/modules/shop/module.yaml',
              subPath: 'module.yaml',
            },
          ],
        },
      ],
      volumes: [{ name: 'statefun-config', configMap: { name: 'statefun-config-abc' } }],
    },
  };
}
