import { asArr, asStr, at } from './data';
import type { DeployFiles } from './inputs';
import { resourceName, workloadsOf } from './k8s';
import type { Problem } from './problem';

/** The flink-conf.yaml keys that name folders Flink writes to on the local file system. */
const WRITTEN_KEYS = [
  'state.backend.rocksdb.localdir',
  'io.tmp.dirs',
  'taskmanager.state.local.root-dirs',
  'state.checkpoints.dir',
  'state.savepoints.dir',
  'high-availability.storageDir',
  'web.tmpdir',
  'web.upload.dir',
];

/**
 * The local folders flink-conf.yaml makes Flink write to. A `file:` URI is a local folder, another
 * scheme (s3:, hdfs:) is not; a plain value may list several folders, separated by `,` or `:`.
 */
export function flinkWrittenPaths(conf: Readonly<Record<string, unknown>>): string[] {
  const paths: string[] = [];
  for (const key of WRITTEN_KEYS) {
    const value = asStr(conf[key])?.trim();
    if (value === undefined || value === '') continue;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
    if (scheme === 'file') paths.push(value.replace(/^file:(\/\/)?/i, '/').replace(/^\/+/, '/'));
    else if (scheme === undefined) paths.push(...value.split(/[,:]/).filter((p) => p.trim() !== ''));
  }
  return [...new Set(paths.map((p) => p.trim().replace(/\/+$/, '') || '/'))];
}

/**
 * flink-conf.yaml as a container runs it: `-D<key>=<value>` in its command or arguments wins over the
 * file (how the k8s overlays point checkpoints at S3).
 */
export function effectiveConf(
  conf: Readonly<Record<string, unknown>>,
  commandLine: readonly unknown[],
): Record<string, unknown> {
  const effective: Record<string, unknown> = { ...conf };
  for (const word of commandLine) {
    const option = /^-D([^=]+)=(.*)$/.exec(asStr(word) ?? '');
    if (option) effective[option[1]] = option[2];
  }
  return effective;
}

const under = (folder: string, mount: string) =>
  folder === mount.replace(/\/+$/, '') || folder.startsWith(`${mount.replace(/\/+$/, '')}/`);

/**
 * Every folder flink-conf.yaml makes Flink write to is on a volume the StateFun container mounts. The
 * image has none of them (Flink does not create a missing parent: a TaskManager whose io.tmp.dirs
 * parent is missing fails at start), and in k8s its root file system is read-only.
 */
export function checkFlinkPaths(
  files: DeployFiles,
  conf: Readonly<Record<string, unknown>>,
  isStatefun: (image: string) => boolean,
): { problems: Problem[]; paths: string[] } {
  const paths = new Set<string>();
  const problems: Problem[] = [];
  const report = (where: Omit<Problem, 'message'>, mounts: string[], commandLine: unknown[]) => {
    const written = flinkWrittenPaths(effectiveConf(conf, commandLine));
    written.forEach((p) => paths.add(p));
    for (const folder of written.filter((p) => !mounts.some((m) => under(p, m)))) {
      problems.push({
        ...where,
        message: `writes to ${folder} (flink-conf.yaml) but mounts no volume there`,
      });
    }
  };
  for (const overlay of files.overlays) {
    for (const workload of workloadsOf(overlay.objects)) {
      for (const container of workload.containers.filter((c) => isStatefun(c.image))) {
        const mounts = asArr(container.raw.volumeMounts).flatMap((m) => asStr(at(m, 'mountPath')) ?? []);
        report(
          { file: overlay.dir, resource: resourceName(workload.object), container: container.name },
          mounts,
          [...asArr(container.raw.command), ...asArr(container.raw.args)],
        );
      }
    }
  }
  for (const service of files.compose?.services ?? []) {
    if (isStatefun(service.image ?? '')) {
      report({ file: files.compose?.file ?? '', resource: `service ${service.name}` }, service.mounts, [
        ...asArr(service.raw.entrypoint),
        ...asArr(service.raw.command),
      ]);
    }
  }
  return { problems, paths: [...paths].sort() };
}
