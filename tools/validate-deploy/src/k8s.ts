import { asArr, asObj, asStr, asText, at, strMap, type Obj } from './data';

/** One object of an overlay's `kustomize build` output. */
export interface K8sObject {
  /** The overlay directory it was built from, as problems name it. */
  source: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  raw: Obj;
}

export interface EnvVar {
  name: string;
  /** The literal value; undefined when it comes from valueFrom. */
  value: string | undefined;
  fromRef: boolean;
}

export interface EnvFrom {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  prefix: string;
  optional: boolean;
}

export interface Container {
  name: string;
  image: string;
  /** An init container, or one of a Job's: runs to completion, so needs no probes. */
  runsToCompletion: boolean;
  env: EnvVar[];
  envFrom: EnvFrom[];
  ports: { name: string | undefined; containerPort: number | undefined }[];
  raw: Obj;
}

/** Anything that runs pods: the object, its pod template's labels and spec, and whether it stays up. */
export interface Workload {
  object: K8sObject;
  podLabels: Record<string, string>;
  podSpec: Obj;
  longRunning: boolean;
  containers: Container[];
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

export function resourceName(o: K8sObject): string {
  return `${o.kind}/${o.name}`;
}

/** Turns parsed documents into objects; anything without apiVersion, kind or metadata.name is a problem. */
export function toObjects(docs: unknown[], source: string): { objects: K8sObject[]; errors: string[] } {
  const objects: K8sObject[] = [];
  const errors: string[] = [];
  docs.forEach((doc, index) => {
    const raw = asObj(doc);
    const apiVersion = asStr(raw?.apiVersion);
    const kind = asStr(raw?.kind);
    const name = asStr(at(raw, 'metadata', 'name'));
    if (raw === undefined || !apiVersion || !kind || !name) {
      errors.push(`document ${index + 1} lacks apiVersion, kind or metadata.name`);
      return;
    }
    const namespace = asStr(at(raw, 'metadata', 'namespace')) ?? '';
    objects.push({ source, apiVersion, kind, name, namespace, raw });
  });
  return { objects, errors };
}

function podTemplateOf(o: K8sObject): Obj | undefined {
  if (LONG_RUNNING.has(o.kind) || o.kind === 'Job') return asObj(at(o.raw, 'spec', 'template'));
  if (o.kind === 'CronJob') return asObj(at(o.raw, 'spec', 'jobTemplate', 'spec', 'template'));
  if (o.kind === 'Pod') return o.raw;
  return undefined;
}

function readContainer(raw: unknown, runsToCompletion: boolean): Container | undefined {
  const c = asObj(raw);
  if (c === undefined) return undefined;
  const env = asArr(c.env).flatMap((e): EnvVar[] => {
    const name = asStr(at(e, 'name'));
    if (name === undefined) return [];
    return [{ name, value: asText(at(e, 'value')), fromRef: at(e, 'valueFrom') !== undefined }];
  });
  const envFrom = asArr(c.envFrom).flatMap((e): EnvFrom[] => {
    const prefix = asStr(at(e, 'prefix')) ?? '';
    for (const [key, kind] of [
      ['configMapRef', 'ConfigMap'],
      ['secretRef', 'Secret'],
    ] as const) {
      const name = asStr(at(e, key, 'name'));
      if (name !== undefined) return [{ kind, name, prefix, optional: at(e, key, 'optional') === true }];
    }
    return [];
  });
  const ports = asArr(c.ports).map((p) => {
    const port = at(p, 'containerPort');
    return { name: asStr(at(p, 'name')), containerPort: typeof port === 'number' ? port : undefined };
  });
  return {
    name: asStr(c.name) ?? '(unnamed)',
    image: asStr(c.image) ?? '',
    runsToCompletion,
    env,
    envFrom,
    ports,
    raw: c,
  };
}

export function workloadOf(o: K8sObject): Workload | undefined {
  const template = podTemplateOf(o);
  if (template === undefined) return undefined;
  const podSpec = asObj(template.spec) ?? {};
  const longRunning = LONG_RUNNING.has(o.kind) || o.kind === 'Pod';
  const containers = [
    ...asArr(podSpec.initContainers).map((c) => readContainer(c, true)),
    ...asArr(podSpec.containers).map((c) => readContainer(c, !longRunning)),
  ].filter((c): c is Container => c !== undefined);
  return {
    object: o,
    podLabels: strMap(at(template, 'metadata', 'labels')),
    podSpec,
    longRunning,
    containers,
  };
}

export function workloadsOf(objects: K8sObject[]): Workload[] {
  return objects.map(workloadOf).filter((w): w is Workload => w !== undefined);
}

/** The keys of a ConfigMap or Secret in the same output, or undefined when it is not there. */
export function keysOf(objects: K8sObject[], kind: 'ConfigMap' | 'Secret', name: string, namespace: string) {
  const found = objects.find((o) => o.kind === kind && o.name === name && o.namespace === namespace);
  if (found === undefined) return undefined;
  const fields = kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
  return fields.flatMap((f) => Object.keys(asObj(found.raw[f]) ?? {}));
}

/** Whether a label selector (`matchLabels` form or a Service's plain map) selects these labels. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}
