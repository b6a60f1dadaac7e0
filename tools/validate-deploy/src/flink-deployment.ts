import { asArr, asObj, asStr, at, strMap } from './data';
import type { Overlay } from './inputs';
import { keysOf, resourceName, type K8sObject } from './k8s';
import type { Problem } from './problem';

// What the shop needs of a FlinkDeployment beyond its CRD's schema: its state moves only through
// savepoints, its parallelism fits the key groups, everything Flink persists is in object storage, the
// module.yaml it runs is a ConfigMap of the same build, and its configuration keeps flink-conf.yaml's keys.

export const FLINK_DEPLOYMENT = { apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment' };

/** Where a StateFun job reads module.yaml from; the image's standalone entry point used the classpath. */
const MODULE_NAME_KEY = 'statefun.remote.module-name';

/** flink-conf.yaml keys the operator sets itself (addresses, ports of the JobManager, sizes from resources). */
export const OPERATOR_OWNED_KEYS = new Set([
  'jobmanager.rpc.address',
  'jobmanager.rpc.port',
  'jobmanager.bind-host',
  'taskmanager.bind-host',
  'rest.address',
  'rest.bind-address',
  'rest.port',
  'blob.server.port',
  'jobmanager.memory.process.size',
  'taskmanager.memory.process.size',
  // job.parallelism
  'parallelism.default',
]);

/** The operator refuses a FlinkDeployment that sets these: it derives them from the resource. */
const FORBIDDEN_KEYS = ['kubernetes.cluster-id', 'kubernetes.namespace'];

const PERSISTED_DIRS = ['state.checkpoints.dir', 'state.savepoints.dir', 'high-availability.storageDir'];

const KUBERNETES_HA = new Set([
  'kubernetes',
  'org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory',
]);

function podTemplates(o: K8sObject) {
  return [
    ['spec.podTemplate', at(o.raw, 'spec', 'podTemplate')],
    ['spec.jobManager.podTemplate', at(o.raw, 'spec', 'jobManager', 'podTemplate')],
    ['spec.taskManager.podTemplate', at(o.raw, 'spec', 'taskManager', 'podTemplate')],
  ] as const;
}

/** The file a role's Flink container mounts at `file`: its ConfigMap and key, or why there is none. */
function mountedConfigMapFile(template: unknown, file: string) {
  const spec = at(template, 'spec');
  const main = asArr(at(spec, 'containers')).find((c) => at(c, 'name') === 'flink-main-container');
  const mount = asArr(at(main, 'volumeMounts')).find((m) => at(m, 'mountPath') === file);
  if (mount === undefined) return undefined;
  const volume = asArr(at(spec, 'volumes')).find((v) => at(v, 'name') === at(mount, 'name'));
  const configMap = asStr(at(volume, 'configMap', 'name'));
  // A subPath names a key of the ConfigMap, unless the volume maps keys to other paths (items).
  const subPath = asStr(at(mount, 'subPath'));
  const item = asArr(at(volume, 'configMap', 'items')).find((i) => at(i, 'path') === subPath);
  return { configMap, key: asStr(at(item, 'key')) ?? subPath };
}

/** module.yaml as both roles mount it, and the ConfigMaps it comes from. */
function moduleProblems(o: K8sObject, conf: Record<string, string>, overlay: Overlay) {
  const name = conf[MODULE_NAME_KEY];
  const file = /^file:\/\/(\/.+)$/.exec(name ?? '')?.[1];
  const configMaps = new Set<string>();
  if (file === undefined)
    return {
      configMaps,
      problems: [
        `flinkConfiguration ${MODULE_NAME_KEY} is ${name ?? 'not set'}: the job reads module.yaml from the classpath, where nothing puts it under the operator; name the mounted file (file:///...)`,
      ],
    };
  const problems: string[] = [];
  // Both roles read it: the JobManager builds the job from it, each task its endpoints and I/O.
  for (const role of ['jobManager', 'taskManager'] as const) {
    const own = at(o.raw, 'spec', role, 'podTemplate');
    const found =
      mountedConfigMapFile(own, file) ?? mountedConfigMapFile(at(o.raw, 'spec', 'podTemplate'), file);
    if (found === undefined) {
      problems.push(`the ${role}'s flink-main-container mounts nothing at ${file} (${MODULE_NAME_KEY})`);
      continue;
    }
    if (found.configMap === undefined) {
      problems.push(`the ${role} mounts ${file} from a volume that is no ConfigMap`);
      continue;
    }
    configMaps.add(found.configMap);
    const keys = keysOf(overlay.objects, 'ConfigMap', found.configMap, o.namespace);
    if (keys === undefined)
      problems.push(
        `the ${role} mounts ${file} from ConfigMap ${found.configMap}, which the overlay does not build`,
      );
    else if (found.key === undefined || !keys.includes(found.key))
      problems.push(
        `the ${role} mounts ${file} from key ${found.key ?? '(none)'} of ConfigMap ${found.configMap}, which has no such key`,
      );
  }
  return { configMaps, problems };
}

/** Problems of one FlinkDeployment of `overlay`; `flinkConf` is statefun/flink-conf.yaml, parsed. */
export function flinkDeploymentProblems(
  o: K8sObject,
  overlay: Overlay,
  flinkConf: Readonly<Record<string, unknown>>,
): Problem[] {
  const problems: string[] = [];
  const conf = strMap(at(o.raw, 'spec', 'flinkConfiguration'));
  const job = asObj(at(o.raw, 'spec', 'job'));

  if (job === undefined) problems.push('has no spec.job: a session cluster, which runs no StateFun job');
  const upgradeMode = asStr(job?.upgradeMode) ?? 'stateless (the default)';
  if (job !== undefined && upgradeMode !== 'savepoint')
    problems.push(
      `spec.job.upgradeMode is ${upgradeMode}: every change (parallelism, image, module.yaml) must move the shop's state through a savepoint`,
    );

  const maxParallelism = Number(conf['pipeline.max-parallelism']);
  const parallelism = job?.parallelism;
  if (!Number.isInteger(maxParallelism) || maxParallelism < 1)
    problems.push(
      'flinkConfiguration sets no pipeline.max-parallelism: Flink would derive it from the first parallelism, and no savepoint restores into another value',
    );
  else if (typeof parallelism === 'number' && parallelism > maxParallelism)
    problems.push(
      `spec.job.parallelism ${parallelism} is above pipeline.max-parallelism ${maxParallelism}: the state has only that many key groups`,
    );

  for (const key of PERSISTED_DIRS) {
    const dir = conf[key];
    if (dir === undefined || !/^s3[ap]?:\/\/[^/]+/.test(dir))
      problems.push(
        `flinkConfiguration ${key} is ${dir ?? 'not set'}, not s3://: every JobManager and TaskManager pod must reach it, and it must outlive them`,
      );
  }
  if (!KUBERNETES_HA.has(conf['high-availability'] ?? ''))
    problems.push(
      `flinkConfiguration high-availability is ${conf['high-availability'] ?? 'not set'}: without Kubernetes HA a restarted JobManager runs the job without its state`,
    );
  for (const key of FORBIDDEN_KEYS.filter((k) => k in conf))
    problems.push(
      `flinkConfiguration sets ${key}, which the operator refuses (it derives it from the resource)`,
    );

  const missing = Object.keys(flinkConf).filter((k) => !OPERATOR_OWNED_KEYS.has(k) && !(k in conf));
  if (missing.length > 0)
    problems.push(
      `flinkConfiguration lacks keys of statefun/flink-conf.yaml: ${missing.sort().join(', ')} (the operator does not read that file)`,
    );

  const module = moduleProblems(o, conf, overlay);
  problems.push(...module.problems);

  const account = asStr(at(o.raw, 'spec', 'serviceAccount'));
  if (account === undefined)
    problems.push(
      'sets no spec.serviceAccount: the operator defaults to `flink`, which the overlay does not build',
    );
  else if (
    !overlay.objects.some(
      (x) => x.kind === 'ServiceAccount' && x.name === account && x.namespace === o.namespace,
    )
  )
    problems.push(`spec.serviceAccount names ServiceAccount ${account}, which the overlay does not build`);

  for (const [where, template] of podTemplates(o)) {
    for (const volume of asArr(at(template, 'spec', 'volumes'))) {
      const cm = asStr(at(volume, 'configMap', 'name'));
      if (
        cm !== undefined &&
        !module.configMaps.has(cm) &&
        keysOf(overlay.objects, 'ConfigMap', cm, o.namespace) === undefined
      )
        problems.push(
          `${where} volume ${asStr(at(volume, 'name')) ?? ''} names ConfigMap ${cm}, which the overlay does not build`,
        );
    }
  }

  return problems.map((message) => ({ file: overlay.dir, resource: resourceName(o), message }));
}

export function isFlinkDeployment(o: K8sObject): boolean {
  return o.apiVersion === FLINK_DEPLOYMENT.apiVersion && o.kind === FLINK_DEPLOYMENT.kind;
}
