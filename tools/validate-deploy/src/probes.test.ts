import { checkProbes, quantity } from './probes';
import { composeService, container, deployment, files, messages, object, overlay } from './testing';

describe('validate-deploy > probes & resources', () => {
  it('reads Kubernetes quantities', () => {
    expect(quantity('250m')).toBe(0.25);
    expect(quantity('1Gi')).toBe(2 ** 30);
    expect(quantity('1.5')).toBe(1.5);
    expect(quantity('lots')).toBeUndefined();
  });

  it('passes a container with probes, requests and a memory limit', () => {
    expect(checkProbes(files({ overlays: [overlay([deployment('gateway')])] }))).toEqual({
      problems: [],
      containers: 1,
    });
  });

  it('catches missing probes and resources, a probe on an undeclared port, and a request above its limit', () => {
    const bad = container({
      readinessProbe: undefined,
      livenessProbe: { httpGet: { path: '/healthz', port: 'web' } },
      resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '512Mi' } },
    });
    const result = checkProbes(files({ overlays: [overlay([deployment('gateway', [bad])])] }));
    expect(messages(result.problems)).toEqual([
      'has no readinessProbe',
      'livenessProbe names port "web", which the container does not declare',
      'requests cpu 2 above its limit 1: the API server refuses it',
      'requests memory 1Gi above its limit 512Mi: the API server refuses it',
    ]);
    expect(result.problems[0]).toMatchObject({
      file: 'k8s/overlays/test',
      resource: 'Deployment/gateway',
      container: 'app',
    });
  });

  it('asks a Job and an init container for resources only', () => {
    const bare = { name: 'once', image: 'apache/kafka:3.9.1' };
    const job = object('Job', 'topics', { spec: { template: { spec: { containers: [bare] } } } }, 'batch/v1');
    const withInit = deployment('gateway', [container()], { initContainers: [bare] });
    const result = checkProbes(files({ overlays: [overlay([job, withInit])] }));
    expect(messages(result.problems)).toEqual([
      ...[
        'has no resources.requests.cpu',
        'has no resources.requests.memory',
        'has no resources.limits.memory',
      ],
      ...[
        'has no resources.requests.cpu',
        'has no resources.requests.memory',
        'has no resources.limits.memory',
      ],
    ]);
  });

  it("compose: a long-running service needs a healthcheck, its own or its image stage's", () => {
    const compose = {
      file: 'docker-compose.yml',
      services: [
        composeService('gateway', { image: 'statefun-shop/gateway:0.1.0', healthcheck: false }),
        composeService('topics', { oneShot: true, healthcheck: false }),
        composeService('redis', { healthcheck: false }),
      ],
    };
    expect(messages(checkProbes(files({ compose })).problems)).toEqual([
      'stays up but has no healthcheck, nor does its image',
    ]);
  });

  it('compose: every depends_on states a condition that can be met', () => {
    const compose = {
      file: 'docker-compose.yml',
      services: [
        composeService('topics', { oneShot: true, healthcheck: false }),
        composeService('bare', { image: 'nginx:1.27-alpine', healthcheck: false, oneShot: true }),
        composeService('kafka'),
        composeService('app', {
          dependsOn: [
            { service: 'kafka', condition: 'service_healthy', stated: true },
            { service: 'topics', condition: 'service_completed_successfully', stated: true },
            { service: 'kafka', condition: 'service_started', stated: false },
            { service: 'topics', condition: 'service_healthy', stated: true },
            { service: 'nowhere', condition: 'service_started', stated: true },
          ],
        }),
        composeService('worker', {
          dependsOn: [{ service: 'kafka', condition: 'service_started', stated: true }],
        }),
        composeService('waits', {
          dependsOn: [{ service: 'plain', condition: 'service_healthy', stated: true }],
        }),
        composeService('plain', { healthcheck: false, oneShot: false }),
      ],
    };
    expect(messages(checkProbes(files({ compose })).problems)).toEqual([
      'depends on kafka without a condition: it waits only for the container to start',
      'depends on one-shot topics with service_healthy: wait for service_completed_successfully',
      'depends on nowhere, which is not a service',
      'waits for plain to be healthy, but it has no healthcheck: compose refuses to start',
      'stays up but has no healthcheck, nor does its image',
    ]);
  });
});
