import type { Obj } from './data';
import { flinkDeploymentProblems } from './flink-deployment';
import { flinkDeployment, messages, object, overlay } from './testing';

const FLINK_CONF = {
  'state.backend': 'rocksdb',
  'rest.address': 'statefun-master',
  'parallelism.default': 4,
};

function problemsOf(change: (spec: Obj) => void = () => undefined, extra = { withConfigMap: true }) {
  const o = flinkDeployment();
  change(o.raw.spec as Obj);
  const objects = [
    o,
    object('ServiceAccount', 'statefun', {}),
    ...(extra.withConfigMap
      ? [object('ConfigMap', 'statefun-config-abc', { data: { 'module.yaml': 'x' } })]
      : []),
  ];
  return messages(flinkDeploymentProblems(o, overlay(objects), FLINK_CONF));
}

const conf = (spec: Obj) => spec.flinkConfiguration as Record<string, string>;

describe('validate-deploy > FlinkDeployments', () => {
  it("passes the shop's shape: only operator-owned flink-conf.yaml keys may be left out", () => {
    expect(problemsOf()).toEqual([]);
  });

  it('wants savepoint upgrades and a job', () => {
    expect(problemsOf((s) => ((s.job as Obj).upgradeMode = 'last-state'))).toEqual([
      "spec.job.upgradeMode is last-state: every change (parallelism, image, module.yaml) must move the shop's state through a savepoint",
    ]);
    expect(problemsOf((s) => delete (s.job as Obj).upgradeMode)[0]).toMatch(
      /upgradeMode is stateless \(the default\)/,
    );
    expect(problemsOf((s) => delete s.job)).toEqual([
      'has no spec.job: a session cluster, which runs no StateFun job',
    ]);
  });

  it('bounds the parallelism by an explicit max parallelism', () => {
    expect(problemsOf((s) => ((s.job as Obj).parallelism = 129))).toEqual([
      'spec.job.parallelism 129 is above pipeline.max-parallelism 128: the state has only that many key groups',
    ]);
    expect(problemsOf((s) => ((s.job as Obj).parallelism = 128))).toEqual([]);
    expect(problemsOf((s) => delete conf(s)['pipeline.max-parallelism'])[0]).toMatch(
      /sets no pipeline.max-parallelism/,
    );
  });

  it('keeps checkpoints, savepoints and HA metadata in S3, with Kubernetes HA', () => {
    expect(
      problemsOf((s) => {
        conf(s)['state.checkpoints.dir'] = 'file:///checkpoints';
        delete conf(s)['state.savepoints.dir'];
        conf(s)['high-availability'] = 'NONE';
      }),
    ).toEqual([
      'flinkConfiguration state.checkpoints.dir is file:///checkpoints, not s3://: every JobManager and TaskManager pod must reach it, and it must outlive them',
      'flinkConfiguration state.savepoints.dir is not set, not s3://: every JobManager and TaskManager pod must reach it, and it must outlive them',
      'flinkConfiguration high-availability is NONE: without Kubernetes HA a restarted JobManager runs the job without its state',
    ]);
  });

  it("refuses the keys the operator refuses, and misses none of flink-conf.yaml's own", () => {
    expect(
      problemsOf((s) => {
        conf(s)['kubernetes.cluster-id'] = 'x';
        delete conf(s)['state.backend'];
      }),
    ).toEqual([
      'flinkConfiguration sets kubernetes.cluster-id, which the operator refuses (it derives it from the resource)',
      'flinkConfiguration lacks keys of statefun/flink-conf.yaml: state.backend (the operator does not read that file)',
    ]);
  });

  it('finds module.yaml where statefun.remote.module-name says, from a ConfigMap of the build, in both roles', () => {
    expect(problemsOf(() => undefined, { withConfigMap: false })).toEqual([
      'the jobManager mounts /opt/statefun/modules/shop/module.yaml from ConfigMap statefun-config-abc, which the overlay does not build',
      'the taskManager mounts /opt/statefun/modules/shop/module.yaml from ConfigMap statefun-config-abc, which the overlay does not build',
    ]);
    expect(problemsOf((s) => (conf(s)['statefun.remote.module-name'] = 'classpath:module.yaml'))[0]).toMatch(
      /module-name is classpath:module.yaml: the job reads module.yaml from the classpath/,
    );
    expect(problemsOf((s) => delete (s.taskManager as Obj).podTemplate)).toEqual([
      "the taskManager's flink-main-container mounts nothing at /opt/statefun/modules/shop/module.yaml (statefun.remote.module-name)",
    ]);
    // The common pod template serves a role that has none of its own.
    expect(
      problemsOf((s) => {
        s.podTemplate = (s.taskManager as Obj).podTemplate;
        delete (s.taskManager as Obj).podTemplate;
      }),
    ).toEqual([]);
  });

  it('wants a ServiceAccount of the build', () => {
    expect(problemsOf((s) => (s.serviceAccount = 'flink'))).toEqual([
      'spec.serviceAccount names ServiceAccount flink, which the overlay does not build',
    ]);
  });
});
