import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CodeTopology } from './module-yaml';
import { DOCKERFILE, FLINK_CRD } from './testing';
import type { Tool } from './tools';
import { validate, type Tools } from './validate';

// The whole run over a tiny repo on disk, with stand-ins for kustomize and the compose loader that
// print what the real ones would: the wiring between reading, the checks and the report.

const code: CodeTopology = {
  topics: ['shop-users', 'shop-egress'],
  egressTopics: ['shop-egress'],
  replyEgresses: ['shop/replies'],
  served: ['shop/user'],
};

const MODULE = `kind: io.statefun.endpoints.v2/http
spec: {functions: shop/*, urlPathTemplate: "http://functions:8001/statefun"}
---
kind: io.statefun.kafka.v1/ingress
spec: {id: shop/users, address: "kafka:9092", topics: [{topic: shop-users, valueType: x/Y, targets: [shop/user]}]}
---
kind: io.statefun.kafka.v1/egress
spec: {id: shop/replies, address: "kafka:9092"}
`;

// A dashboard of one panel on the provisioned data source, and the ConfigMap the overlay ships it in.
const DASHBOARD = JSON.stringify({
  panels: [{ id: 1, title: 'Up', datasource: { uid: 'prometheus' }, targets: [{ expr: 'up' }] }],
});
const DATASOURCES = 'datasources: [{name: Prometheus, uid: prometheus, type: prometheus}]\n';

const write = (root: string, file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};

function fixtureRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-deploy-'));
  write(root, 'package.json', JSON.stringify({ workspaces: ['functions'] }));
  write(root, 'functions/package.json', JSON.stringify({ name: '@shop/functions' }));
  write(root, 'functions/src/main.ts', "const port = process.env.FUNCTIONS_PORT || '8001';\n");
  write(root, 'functions/src/main.test.ts', 'process.env.ONLY_IN_TESTS;\n');
  write(root, 'Dockerfile', DOCKERFILE);
  write(root, 'statefun/module.yaml', MODULE);
  write(root, 'statefun/topics.txt', 'shop-users\nshop-egress\n');
  write(root, 'statefun/flink-conf.yaml', 'io.tmp.dirs: /opt/flink/local/tmp\n');
  write(root, 'docker-compose.yml', 'services: {}\n');
  write(root, 'k8s/overlays/local/kustomization.yaml', 'resources: []\n');
  write(root, 'deploy/grafana/dashboards/shop.json', DASHBOARD);
  write(root, 'deploy/grafana/provisioning/datasources/prometheus.yaml', DATASOURCES);
  return root;
}

const functionsYaml = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: functions, namespace: shop}
spec:
  selector: {matchLabels: {app: functions}}
  template:
    metadata: {labels: {app: functions}}
    spec:
      containers:
        - name: functions
          image: statefun-shop/functions:0.1.0
          ports: [{name: http, containerPort: 8001}]
          env: [{name: ${env}, value: "8001"}]
          readinessProbe: {httpGet: {path: /readyz, port: http}}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: functions, namespace: shop}
spec: {selector: {app: functions}, ports: [{port: 8001, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: kafka, namespace: shop}
spec: {ports: [{port: 9092}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: dashboards, namespace: shop}
data: {shop.json: '${DASHBOARD}'}
`;

function fakeTool(output: (target: string, cwd: string) => string): Tool {
  return {
    describe: 'fake',
    run: (target, cwd) => ({ ok: true, stdout: output(target, cwd), stderr: '', seconds: 0 }),
  };
}

function tools(env: string): Tools {
  const services = {
    kafka: { image: 'apache/kafka:3.9.1', healthcheck: { test: ['CMD', 'true'] } },
    functions: { image: 'statefun-shop/functions:0.1.0', environment: { FUNCTIONS_PORT: '8001' } },
  };
  return {
    kustomize: { tool: fakeTool(() => functionsYaml(env)) },
    compose: { tool: fakeTool(() => JSON.stringify({ name: 'shop', services })) },
    flinkCrd: { crd: FLINK_CRD, describe: 'fixture' },
  };
}

describe('validate-deploy > the whole run', () => {
  const root = fixtureRepo();
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('passes a consistent repo: every check runs and finds nothing', () => {
    const results = validate(root, tools('FUNCTIONS_PORT'), code);
    expect(results.map((r) => [r.name, r.problems])).toEqual([
      ['compose', []],
      ['kustomize', []],
      ['k8s schemas', []],
      ['images', []],
      ['env', []],
      ['module.yaml', []],
      ['config files', []],
      ['flink paths', []],
      ['flink operator', []],
      ['probes & resources', []],
      ['references', []],
      ['dashboards', []],
    ]);
    expect(results.find((r) => r.name === 'env')!.notes).toEqual([
      'functions runs functions (+0 workspaces): reads FUNCTIONS_PORT; must be set: none',
    ]);
  });

  it('names the overlay, object and container of a problem', () => {
    const env = validate(root, tools('FUNCTION_PORT'), code).find((r) => r.name === 'env')!;
    expect(env.problems).toEqual([
      {
        file: 'k8s/overlays/local',
        resource: 'Deployment/functions',
        container: 'functions',
        message: "sets FUNCTION_PORT, which the functions image's code never reads",
      },
    ]);
  });

  it('reports a tool that is missing, and a build that fails, as problems', () => {
    const failing: Tools = {
      kustomize: {
        tool: {
          describe: 'fake',
          run: () => ({ ok: false, stdout: '', stderr: 'accumulating resources: boom', seconds: 0 }),
        },
      },
      compose: { error: 'compose-spec is not installed and Go is not here to install it' },
      flinkCrd: { error: 'no Maven' },
    };
    const results = validate(root, failing, code);
    expect(results[0].problems).toEqual([
      { file: 'compose', message: 'compose-spec is not installed and Go is not here to install it' },
    ]);
    expect(results[1].problems).toEqual([
      { file: 'k8s/overlays/local', message: 'accumulating resources: boom' },
    ]);
  });
});
