import { checkFlinkPaths, flinkWrittenPaths } from './flink-paths';
import { composeService, container, deployment, files, messages, overlay } from './testing';

const conf = {
  'state.backend.rocksdb.localdir': '/opt/flink/local/rocksdb',
  'io.tmp.dirs': '/opt/flink/local/tmp',
  'state.checkpoints.dir': 'file:///checkpoints/checkpoints',
  'state.savepoints.dir': 's3://bucket/savepoints',
  'parallelism.default': 4,
};
const isStatefun = (image: string) => /flink-statefun:/.test(image);

describe('validate-deploy > flink paths', () => {
  it('reads the local folders Flink writes to, not remote ones', () => {
    expect(flinkWrittenPaths(conf)).toEqual([
      '/opt/flink/local/rocksdb',
      '/opt/flink/local/tmp',
      '/checkpoints/checkpoints',
    ]);
    expect(flinkWrittenPaths({ 'io.tmp.dirs': '/a,/b:/c', 'state.checkpoints.dir': 'file:/d/' })).toEqual([
      '/a',
      '/b',
      '/c',
      '/d',
    ]);
  });

  it('passes a container with a volume over every folder, and names each folder without one', () => {
    const master = (mounts: string[]) =>
      deployment('master', [
        container({
          image: 'apache/flink-statefun:3.3.0',
          volumeMounts: mounts.map((mountPath, i) => ({ name: `v${i}`, mountPath })),
        }),
      ]);
    const good = overlay([master(['/opt/flink/local', '/checkpoints/'])]);
    expect(checkFlinkPaths(files({ overlays: [good] }), conf, isStatefun).problems).toEqual([]);

    // Checkpoints moved to S3 by an argument need no volume.
    const remote = deployment('master', [
      container({
        image: 'apache/flink-statefun:3.3.0',
        args: ['-Dstate.checkpoints.dir=s3://bucket/checkpoints'],
        volumeMounts: [{ name: 'local', mountPath: '/opt/flink/local' }],
      }),
    ]);
    expect(checkFlinkPaths(files({ overlays: [overlay([remote])] }), conf, isStatefun).problems).toEqual([]);

    const bad = overlay([master(['/checkpoints', '/opt/flink/local/rocksdb-other'])]);
    expect(messages(checkFlinkPaths(files({ overlays: [bad] }), conf, isStatefun).problems)).toEqual([
      'writes to /opt/flink/local/rocksdb (flink-conf.yaml) but mounts no volume there',
      'writes to /opt/flink/local/tmp (flink-conf.yaml) but mounts no volume there',
    ]);
  });

  it('checks compose services of the StateFun image by their volumes and tmpfs, and no others', () => {
    const worker = composeService('statefun-worker', {
      image: 'apache/flink-statefun:3.3.0',
      mounts: ['/opt/statefun/modules/shop/module.yaml', '/checkpoints'],
    });
    const redis = composeService('redis');
    expect(
      messages(
        checkFlinkPaths(
          files({ compose: { file: 'docker-compose.yml', services: [worker, redis] } }),
          conf,
          isStatefun,
        ).problems,
      ),
    ).toEqual([
      'writes to /opt/flink/local/rocksdb (flink-conf.yaml) but mounts no volume there',
      'writes to /opt/flink/local/tmp (flink-conf.yaml) but mounts no volume there',
    ]);
    const fixed = { ...worker, mounts: [...worker.mounts, '/opt/flink/local'] };
    expect(
      checkFlinkPaths(files({ compose: { file: 'docker-compose.yml', services: [fixed] } }), conf, isStatefun)
        .problems,
    ).toEqual([]);
  });
});
