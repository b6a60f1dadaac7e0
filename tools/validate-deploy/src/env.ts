import type { EnvRead } from './env-reads';
import { ourTarget } from './images';
import type { DeployFiles } from './inputs';
import { keysOf, resourceName, workloadsOf, type Container, type K8sObject } from './k8s';
import type { Problem } from './problem';

/** The variables the code of each Dockerfile target reads, by name. */
export type CodeEnv = Map<string, Map<string, EnvRead>>;

/** One variable a container sets: its value when the manifest says it literally. */
interface Setting {
  name: string;
  value: string | undefined;
}

/**
 * Values the deploy contract fixes for variables the code reads with a default that is wrong in a
 * container, though not a loopback address.
 */
const CONTRACT: Record<string, { value?: string; unset?: true; why: string }> = {
  GATEWAY_REPLICAS: {
    value: '1',
    why: 'the orchestrator scales containers; a Node cluster inside one only splits its CPU limit',
  },
  GATEWAY_REPLICA_ID: {
    unset: true,
    why: 'its default, hostname-pid, differs per container; a set value would be shared by every replica',
  },
};

const LOOPBACK_VALUE = /(^|[/@,])(127\.\d+\.\d+\.\d+|localhost|\[::1\])([:/,]|$)/;

/** The checks for one container of ours, given what it sets and what its code reads. */
export function checkSettings(
  settings: Setting[],
  reads: Map<string, EnvRead>,
  target: string,
  where: Omit<Problem, 'message'>,
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const { name, value } of settings) {
    if (seen.has(name)) problems.push({ ...where, message: `sets ${name} twice; the last one wins` });
    seen.add(name);
    const read = reads.get(name);
    if (read === undefined) {
      problems.push({ ...where, message: `sets ${name}, which the ${target} image's code never reads` });
      continue;
    }
    if (read.loopbackDefault && value !== undefined && LOOPBACK_VALUE.test(value)) {
      problems.push({
        ...where,
        message: `sets ${name}=${value}: a loopback address in a container is the container itself`,
      });
    }
    const rule = CONTRACT[name];
    if (rule?.unset) problems.push({ ...where, message: `sets ${name}: leave it unset (${rule.why})` });
    if (rule?.value !== undefined && value !== undefined && value !== rule.value) {
      problems.push({ ...where, message: `sets ${name}=${value}, not ${rule.value} (${rule.why})` });
    }
  }
  for (const read of reads.values()) {
    if (read.loopbackDefault && !seen.has(read.name)) {
      problems.push({
        ...where,
        message: `does not set ${read.name}, whose default is a loopback address (read at ${read.sites[0]})`,
      });
    }
  }
  for (const [name, rule] of Object.entries(CONTRACT)) {
    if (rule.value !== undefined && reads.has(name) && !seen.has(name)) {
      problems.push({ ...where, message: `does not set ${name}=${rule.value} (${rule.why})` });
    }
  }
  return problems;
}

/** What a k8s container sets: env, then envFrom resolved against the ConfigMaps and Secrets built with it. */
function k8sSettings(container: Container, objects: K8sObject[], namespace: string) {
  const settings: Setting[] = container.env.map((e) => ({ name: e.name, value: e.value }));
  const problems: string[] = [];
  for (const from of container.envFrom) {
    const keys = keysOf(objects, from.kind, from.name, namespace);
    if (keys === undefined) {
      if (!from.optional)
        problems.push(
          `envFrom names ${from.kind} ${from.name}, which the overlay does not build: its variables cannot be checked`,
        );
      continue;
    }
    const source = objects.find(
      (o) => o.kind === from.kind && o.name === from.name && o.namespace === namespace,
    );
    const data = (source?.raw.data ?? {}) as Record<string, unknown>;
    for (const key of keys) {
      const value = data[key];
      settings.push({
        name: `${from.prefix}${key}`,
        value: from.kind === 'ConfigMap' && typeof value === 'string' ? value : undefined,
      });
    }
  }
  return { settings, problems };
}

/**
 * Every variable a container of ours sets is one its code reads, and it sets every one the code needs
 * set in a container. Which code: the Dockerfile target its image is built from.
 */
export function checkEnv(files: DeployFiles, code: CodeEnv): { problems: Problem[]; containers: number } {
  const problems: Problem[] = [];
  let containers = 0;
  const forTarget = (target: string, where: Omit<Problem, 'message'>, settings: Setting[]) => {
    const reads = code.get(target);
    // A target the Dockerfile lacks is the images check's problem, not a second one here.
    if (reads === undefined && !files.dockerfile?.stages.some((s) => s.name === target)) return;
    if (reads === undefined) {
      problems.push({
        ...where,
        message: `cannot tell what the ${target} image's code reads (see the Dockerfile's CMD)`,
      });
      return;
    }
    containers += 1;
    problems.push(...checkSettings(settings, reads, target, where));
  };
  for (const service of files.compose?.services ?? []) {
    const target =
      service.build?.target ?? (service.image === undefined ? undefined : ourTarget(service.image));
    if (target === undefined) continue;
    const settings = Object.entries(service.environment).map(([name, value]) => ({
      name,
      value: value ?? undefined,
    }));
    forTarget(target, { file: files.compose?.file ?? '', resource: `service ${service.name}` }, settings);
  }
  for (const overlay of files.overlays) {
    for (const workload of workloadsOf(overlay.objects)) {
      for (const container of workload.containers) {
        const target = ourTarget(container.image);
        if (target === undefined) continue;
        const where = {
          file: overlay.dir,
          resource: resourceName(workload.object),
          container: container.name,
        };
        const { settings, problems: unresolved } = k8sSettings(
          container,
          overlay.objects,
          workload.object.namespace,
        );
        problems.push(...unresolved.map((message) => ({ ...where, message })));
        forTarget(target, where, settings);
      }
    }
  }
  return { problems, containers };
}
