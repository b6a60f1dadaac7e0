import { selects, toObjects, workloadOf } from './k8s';
import { deployment, object } from './testing';
import { parseDocuments } from './yaml-docs';

describe('validate-deploy > k8s objects', () => {
  it('reports YAML errors, and documents without apiVersion, kind or metadata.name', () => {
    const parsed = parseDocuments(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: Service\n---\n\n---\na: [\n',
    );
    expect(parsed.errors.length).toBeGreaterThan(0);
    const { objects, errors } = toObjects(parsed.docs, 'k8s/overlays/test');
    expect(objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['ConfigMap/a']);
    expect(errors).toEqual(['document 2 lacks apiVersion, kind or metadata.name']);
  });

  it('reads pod templates of Deployments and CronJobs, init containers marked as running to completion', () => {
    const w = workloadOf(
      deployment('gateway', undefined, { initContainers: [{ name: 'wait', image: 'busybox:1' }] }),
    )!;
    expect(w.longRunning).toBe(true);
    expect(w.containers.map((c) => [c.name, c.runsToCompletion])).toEqual([
      ['wait', true],
      ['app', false],
    ]);
    const cron = object(
      'CronJob',
      'c',
      {
        spec: {
          jobTemplate: { spec: { template: { spec: { containers: [{ name: 'x', image: 'y:1' }] } } } },
        },
      },
      'batch/v1',
    );
    expect(workloadOf(cron)!.containers[0].runsToCompletion).toBe(true);
    expect(workloadOf(object('Service', 's', {}))).toBeUndefined();
  });

  it('selects by every label of a non-empty selector', () => {
    expect(selects({ app: 'a' }, { app: 'a', tier: 'x' })).toBe(true);
    expect(selects({ app: 'a', tier: 'y' }, { app: 'a', tier: 'x' })).toBe(false);
    expect(selects({}, { app: 'a' })).toBe(false);
  });
});
