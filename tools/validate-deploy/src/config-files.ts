import path from 'node:path';
import { asArr, asObj, asStr, at } from './data';
import type { DeployFiles } from './inputs';
import { resourceName, workloadsOf, type Container, type K8sObject, type Workload } from './k8s';
import type { Problem } from './problem';

/** A repo file a container must see at a fixed path (deploy contract), and which containers. */
export interface MountedFile {
  file: string;
  mountPath: string;
  image: RegExp;
}

export const STATEFUN_FILES: MountedFile[] = [
  {
    file: 'statefun/module.yaml',
    mountPath: '/opt/statefun/modules/shop/module.yaml',
    image: /(^|\/)flink-statefun:/,
  },
  {
    file: 'statefun/flink-conf.yaml',
    mountPath: '/opt/flink/conf/flink-conf.yaml',
    image: /(^|\/)flink-statefun:/,
  },
];

/** The files a container sees from ConfigMap volumes: path → ConfigMap name and key. */
export function configMapFiles(
  workload: Workload,
  container: Container,
): Map<string, { configMap: string; key: string }> {
  const files = new Map<string, { configMap: string; key: string }>();
  const volumes = new Map<string, { name: string; items: { key: string; path: string }[] | undefined }>();
  for (const volume of asArr(workload.podSpec.volumes)) {
    const sources = [
      at(volume, 'configMap'),
      ...asArr(at(volume, 'projected', 'sources')).map((s) => at(s, 'configMap')),
    ];
    for (const cm of sources) {
      const name = asStr(at(cm, 'name'));
      const volumeName = asStr(at(volume, 'name'));
      if (name === undefined || volumeName === undefined) continue;
      const items =
        asObj(cm)?.items === undefined
          ? undefined
          : asArr(at(cm, 'items')).map((i) => ({
              key: asStr(at(i, 'key')) ?? '',
              path: asStr(at(i, 'path')) ?? '',
            }));
      volumes.set(volumeName, { name, items });
    }
  }
  for (const mount of asArr(container.raw.volumeMounts)) {
    const volume = volumes.get(asStr(at(mount, 'name')) ?? '');
    const mountPath = asStr(at(mount, 'mountPath'));
    if (volume === undefined || mountPath === undefined) continue;
    const subPath = asStr(at(mount, 'subPath'));
    // Without items, every key is a file named after it; with items, only those, at their paths.
    const byPath = (p: string) =>
      volume.items?.find((i) => i.path === p)?.key ?? (volume.items === undefined ? p : undefined);
    if (subPath !== undefined) {
      const key = byPath(subPath);
      if (key !== undefined) files.set(mountPath, { configMap: volume.name, key });
    } else {
      files.set(`${mountPath.replace(/\/$/, '')}/*`, { configMap: volume.name, key: '*' });
      for (const item of volume.items ?? [])
        files.set(path.posix.join(mountPath, item.path), { configMap: volume.name, key: item.key });
    }
  }
  return files;
}

/** The ConfigMap key a container sees at `file`, if it sees one there. */
function keyAt(
  files: Map<string, { configMap: string; key: string }>,
  file: string,
  objects: K8sObject[],
  namespace: string,
) {
  const exact = files.get(file);
  if (exact !== undefined) return exact;
  const whole = files.get(`${path.posix.dirname(file)}/*`);
  if (whole === undefined) return undefined;
  const key = path.posix.basename(file);
  const cm = objects.find(
    (o) => o.kind === 'ConfigMap' && o.name === whole.configMap && o.namespace === namespace,
  );
  return asObj(cm?.raw.data)?.[key] === undefined ? undefined : { configMap: whole.configMap, key };
}

/**
 * Config files have one source, the repo's: a ConfigMap key named after a file of statefun/ holds it
 * verbatim; every StateFun container sees module.yaml and flink-conf.yaml where the image reads them,
 * from such a ConfigMap in k8s and a bind mount of the file in compose.
 */
export function checkConfigFiles(
  files: DeployFiles,
  repoFiles: Map<string, string>,
  exists: (file: string) => boolean,
  wanted = STATEFUN_FILES,
): Problem[] {
  const problems: Problem[] = [];
  const byBase = new Map([...repoFiles].map(([file, text]) => [path.posix.basename(file), { file, text }]));
  for (const overlay of files.overlays) {
    for (const cm of overlay.objects.filter((o) => o.kind === 'ConfigMap')) {
      for (const [key, value] of Object.entries(asObj(cm.raw.data) ?? {})) {
        const repo = byBase.get(key);
        if (repo !== undefined && value !== repo.text) {
          problems.push({
            file: overlay.dir,
            resource: resourceName(cm),
            message: `key ${key} differs from ${repo.file}: generate it from the file, not a copy`,
          });
        }
      }
    }
    for (const workload of workloadsOf(overlay.objects)) {
      for (const container of workload.containers) {
        const seen = configMapFiles(workload, container);
        for (const want of wanted.filter((w) => w.image.test(container.image))) {
          const where = {
            file: overlay.dir,
            resource: resourceName(workload.object),
            container: container.name,
          };
          const found = keyAt(seen, want.mountPath, overlay.objects, workload.object.namespace);
          if (found === undefined) {
            problems.push({
              ...where,
              message: `sees no ConfigMap file at ${want.mountPath} (wanted: ${want.file})`,
            });
            continue;
          }
          const cm = overlay.objects.find(
            (o) =>
              o.kind === 'ConfigMap' &&
              o.name === found.configMap &&
              o.namespace === workload.object.namespace,
          );
          const text = asObj(cm?.raw.data)?.[found.key];
          if (cm === undefined)
            problems.push({
              ...where,
              message: `mounts ConfigMap ${found.configMap}, which the overlay does not build`,
            });
          else if (text !== repoFiles.get(want.file)) {
            problems.push({
              ...where,
              message: `sees ${found.configMap}:${found.key} at ${want.mountPath}, which is not ${want.file}`,
            });
          }
        }
      }
    }
  }
  for (const service of files.compose?.services ?? []) {
    for (const bind of service.binds) {
      if (!bind.source.startsWith('/') && !bind.source.startsWith('..') && !exists(bind.source)) {
        problems.push({
          file: files.compose?.file ?? '',
          resource: `service ${service.name}`,
          message: `mounts ${bind.source}, which does not exist`,
        });
      }
    }
    for (const want of wanted.filter((w) => w.image.test(service.image ?? ''))) {
      const bind = service.binds.find((b) => b.target === want.mountPath);
      const where = { file: files.compose?.file ?? '', resource: `service ${service.name}` };
      if (bind === undefined)
        problems.push({ ...where, message: `does not mount ${want.file} at ${want.mountPath}` });
      else if (bind.source !== want.file)
        problems.push({ ...where, message: `mounts ${bind.source} at ${want.mountPath}, not ${want.file}` });
    }
  }
  return problems;
}
