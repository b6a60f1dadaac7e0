import { checkConfigFiles, type MountedFile } from './config-files';
import { composeService, container, deployment, files, messages, object, overlay } from './testing';

const MODULE = 'kind: io.statefun.endpoints.v2/http\n';
const repo = new Map([['statefun/module.yaml', MODULE]]);
const wanted: MountedFile[] = [
  {
    file: 'statefun/module.yaml',
    mountPath: '/opt/statefun/modules/shop/module.yaml',
    image: /flink-statefun:/,
  },
];
const exists = (file: string) => file === 'statefun/module.yaml';

function statefun(mount: Record<string, unknown>, items?: unknown) {
  return deployment(
    'master',
    [container({ image: 'apache/flink-statefun:3.3.0', volumeMounts: [{ name: 'config', ...mount }] })],
    {
      volumes: [
        {
          name: 'config',
          configMap: { name: 'statefun-config-abc', ...(items === undefined ? {} : { items }) },
        },
      ],
    },
  );
}

describe('validate-deploy > config files', () => {
  const configMap = (text: string) =>
    object('ConfigMap', 'statefun-config-abc', { data: { 'module.yaml': text, other: 'x' } });

  it('passes the repo file mounted by subPath, by directory, or through items', () => {
    for (const workload of [
      statefun({ mountPath: '/opt/statefun/modules/shop/module.yaml', subPath: 'module.yaml' }),
      statefun({ mountPath: '/opt/statefun/modules/shop' }),
      statefun({ mountPath: '/opt/statefun/modules/shop' }, [{ key: 'module.yaml', path: 'module.yaml' }]),
    ]) {
      expect(
        checkConfigFiles(files({ overlays: [overlay([configMap(MODULE), workload])] }), repo, exists, wanted),
      ).toEqual([]);
    }
  });

  it('catches a ConfigMap holding a copy that drifted, and a StateFun container without the file', () => {
    const drifted = overlay([
      configMap('kind: stale\n'),
      statefun({ mountPath: '/opt/statefun/modules/shop' }),
    ]);
    expect(messages(checkConfigFiles(files({ overlays: [drifted] }), repo, exists, wanted))).toEqual([
      'key module.yaml differs from statefun/module.yaml: generate it from the file, not a copy',
      'sees statefun-config-abc:module.yaml at /opt/statefun/modules/shop/module.yaml, which is not statefun/module.yaml',
    ]);
    const unmounted = overlay([configMap(MODULE), statefun({ mountPath: '/opt/statefun/modules/other' })]);
    expect(messages(checkConfigFiles(files({ overlays: [unmounted] }), repo, exists, wanted))).toEqual([
      'sees no ConfigMap file at /opt/statefun/modules/shop/module.yaml (wanted: statefun/module.yaml)',
    ]);
  });

  it('compose: StateFun services bind the repo file, and every bound repo file exists', () => {
    const compose = (binds: { source: string; target: string }[]) => ({
      file: 'docker-compose.yml',
      services: [composeService('statefun-master', { image: 'apache/flink-statefun:3.3.0', binds })],
    });
    const good = compose([
      { source: 'statefun/module.yaml', target: '/opt/statefun/modules/shop/module.yaml' },
    ]);
    expect(checkConfigFiles(files({ compose: good }), repo, exists, wanted)).toEqual([]);
    const bad = compose([
      { source: 'deploy/module.yaml', target: '/opt/statefun/modules/shop/module.yaml' },
      { source: 'deploy/missing.sh', target: '/x.sh' },
    ]);
    expect(messages(checkConfigFiles(files({ compose: bad }), repo, exists, wanted))).toEqual([
      'mounts deploy/module.yaml, which does not exist',
      'mounts deploy/missing.sh, which does not exist',
      'mounts deploy/module.yaml at /opt/statefun/modules/shop/module.yaml, not statefun/module.yaml',
    ]);
  });
});
