import { asArr, asObj, asStr, at, strMap } from './data';
import type { DeployFiles, Overlay } from './inputs';
import { resourceName, selects, workloadsOf, type K8sObject, type Workload } from './k8s';
import type { ModuleFacts } from './module-yaml';
import type { Problem } from './problem';

function find(objects: K8sObject[], kind: string, name: string, namespace: string) {
  return objects.find((o) => o.kind === kind && o.name === name && o.namespace === namespace);
}

function servicePorts(service: K8sObject) {
  return asArr(at(service.raw, 'spec', 'ports')).map((p) => ({
    name: asStr(at(p, 'name')),
    port: at(p, 'port'),
    targetPort: at(p, 'targetPort') ?? at(p, 'port'),
  }));
}

/** A Service selects the pods of some workload, and each targetPort is a port they declare. */
function serviceProblems(service: K8sObject, workloads: Workload[]): string[] {
  const selector = strMap(at(service.raw, 'spec', 'selector'));
  if (Object.keys(selector).length === 0) return []; // selector-less: endpoints managed elsewhere
  const selected = workloads.filter(
    (w) => w.longRunning && w.object.namespace === service.namespace && selects(selector, w.podLabels),
  );
  if (selected.length === 0) return [`selects ${JSON.stringify(selector)}, which matches no workload's pods`];
  const problems: string[] = [];
  for (const { targetPort } of servicePorts(service)) {
    const declared = selected.some((w) =>
      w.containers.some(
        (c) =>
          !c.runsToCompletion && c.ports.some((p) => p.name === targetPort || p.containerPort === targetPort),
      ),
    );
    if (!declared) problems.push(`targetPort ${String(targetPort)} is no port of the pods it selects`);
  }
  return problems;
}

/** The objects other objects name, as [kind, name, what names it]. */
function namedReferences(o: K8sObject, workloads: Workload[]): [string, string, string][] {
  const refs: [string, string, string][] = [];
  if (o.kind === 'HorizontalPodAutoscaler') {
    const target = at(o.raw, 'spec', 'scaleTargetRef');
    refs.push([asStr(at(target, 'kind')) ?? '', asStr(at(target, 'name')) ?? '', 'scaleTargetRef']);
  }
  if (o.kind === 'StatefulSet') {
    const serviceName = asStr(at(o.raw, 'spec', 'serviceName'));
    if (serviceName) refs.push(['Service', serviceName, 'serviceName']);
  }
  if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
    const kind = asStr(at(o.raw, 'roleRef', 'kind')) ?? '';
    if (kind === 'Role') refs.push([kind, asStr(at(o.raw, 'roleRef', 'name')) ?? '', 'roleRef']);
  }
  const workload = workloads.find((w) => w.object === o);
  if (workload !== undefined) {
    const account = asStr(workload.podSpec.serviceAccountName);
    if (account !== undefined && account !== 'default')
      refs.push(['ServiceAccount', account, 'serviceAccountName']);
    const claims = new Set(
      asArr(at(o.raw, 'spec', 'volumeClaimTemplates')).map((t) => asStr(at(t, 'metadata', 'name'))),
    );
    for (const volume of asArr(workload.podSpec.volumes)) {
      const cm = asStr(at(volume, 'configMap', 'name'));
      if (cm !== undefined && at(volume, 'configMap', 'optional') !== true)
        refs.push(['ConfigMap', cm, `volume ${asStr(at(volume, 'name')) ?? ''}`]);
      const claim = asStr(at(volume, 'persistentVolumeClaim', 'claimName'));
      if (claim !== undefined && !claims.has(claim))
        refs.push(['PersistentVolumeClaim', claim, `volume ${asStr(at(volume, 'name')) ?? ''}`]);
    }
  }
  return refs;
}

/** The Services an Ingress routes to, with the port each names. */
function ingressBackends(o: K8sObject): { name: string; port: unknown }[] {
  const backends = [
    at(o.raw, 'spec', 'defaultBackend'),
    ...asArr(at(o.raw, 'spec', 'rules')).flatMap((r) =>
      asArr(at(r, 'http', 'paths')).map((p) => at(p, 'backend')),
    ),
  ];
  return backends
    .map((b) => asObj(at(b, 'service')))
    .filter((s) => s !== undefined)
    .map((s) => ({ name: asStr(s.name) ?? '', port: at(s, 'port', 'number') ?? at(s, 'port', 'name') }));
}

/**
 * Services an operator creates for a custom resource of the overlay: Strimzi's `<cluster>-kafka-bootstrap`
 * (and `-brokers`) for a Kafka named `<cluster>`.
 */
function operatorServices(objects: K8sObject[]): Set<string> {
  const names = objects
    .filter((o) => o.kind === 'Kafka' && o.apiVersion.startsWith('kafka.strimzi.io/'))
    .flatMap((o) => [`${o.name}-kafka-bootstrap`, `${o.name}-kafka-brokers`]);
  return new Set(names);
}

/** An ExternalName Service pointing into the cluster (`name.namespace.svc…`) names a Service that will exist. */
function externalNameProblems(service: K8sObject, objects: K8sObject[]): string[] {
  const external = asStr(at(service.raw, 'spec', 'externalName'));
  const inCluster = external === undefined ? null : /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.|$)/.exec(external);
  if (external === undefined || inCluster === null) return [];
  const [, name, namespace] = inCluster;
  const built = objects.some((o) => o.kind === 'Service' && o.name === name && o.namespace === namespace);
  if (built || operatorServices(objects.filter((o) => o.namespace === namespace)).has(name)) return [];
  return [
    `is ExternalName ${external}, a Service in namespace ${namespace} that neither the overlay nor an operator resource of it creates`,
  ];
}

/** Secrets the workloads read that the overlay does not build: to be created in the cluster beforehand. */
export function externalSecrets(overlay: Overlay): string[] {
  const names = new Set<string>();
  for (const w of workloadsOf(overlay.objects)) {
    const refs = [
      ...asArr(w.podSpec.volumes).map((v) => asStr(at(v, 'secret', 'secretName'))),
      ...w.containers.flatMap((c) => [
        ...asArr(c.raw.env).map((e) => asStr(at(e, 'valueFrom', 'secretKeyRef', 'name'))),
        ...c.envFrom.filter((f) => f.kind === 'Secret').map((f) => f.name),
      ]),
    ];
    for (const name of refs) {
      if (name !== undefined && find(overlay.objects, 'Secret', name, w.object.namespace) === undefined)
        names.add(name);
    }
  }
  for (const ingress of overlay.objects.filter((o) => o.kind === 'Ingress')) {
    for (const tls of asArr(at(ingress.raw, 'spec', 'tls'))) {
      const name = asStr(at(tls, 'secretName'));
      if (name !== undefined && find(overlay.objects, 'Secret', name, ingress.namespace) === undefined)
        names.add(name);
    }
  }
  return [...names].sort();
}

export function checkOverlayReferences(overlay: Overlay): Problem[] {
  const problems: Problem[] = [];
  const workloads = workloadsOf(overlay.objects);
  for (const o of overlay.objects) {
    const here = (message: string): Problem => ({ file: overlay.dir, resource: resourceName(o), message });
    if (o.kind === 'Service') problems.push(...serviceProblems(o, workloads).map(here));
    if (o.kind === 'Service') problems.push(...externalNameProblems(o, overlay.objects).map(here));
    if (o.kind === 'PodDisruptionBudget') {
      const selector = strMap(at(o.raw, 'spec', 'selector', 'matchLabels'));
      if (!workloads.some((w) => w.object.namespace === o.namespace && selects(selector, w.podLabels))) {
        problems.push(here(`selects ${JSON.stringify(selector)}, which matches no workload's pods`));
      }
    }
    if (o.kind === 'Ingress') {
      for (const backend of ingressBackends(o)) {
        const service = find(overlay.objects, 'Service', backend.name, o.namespace);
        if (service === undefined)
          problems.push(here(`routes to Service ${backend.name}, which the overlay does not build`));
        else if (!servicePorts(service).some((p) => p.port === backend.port || p.name === backend.port)) {
          problems.push(
            here(
              `routes to port ${String(backend.port)} of Service ${backend.name}, which it does not expose`,
            ),
          );
        }
      }
    }
    for (const [kind, name, via] of namedReferences(o, workloads)) {
      if (find(overlay.objects, kind, name, o.namespace) === undefined) {
        problems.push(here(`${via} names ${kind} ${name}, which the overlay does not build`));
      }
    }
  }
  return problems;
}

/** `kafka:9092` and `http://functions:8001/statefun` → host and port. */
export function hostPort(address: string): { host: string; port: number } | undefined {
  const match = /^(?:[a-z]+:\/\/)?([^:/]+):(\d+)/.exec(address);
  return match === null ? undefined : { host: match[1], port: Number(match[2]) };
}

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** Every address module.yaml names: the Kafka of each ingress and egress, and each endpoint's server. */
export function moduleAddresses(facts: ModuleFacts): { what: string; address: string }[] {
  return [
    ...facts.ingresses.map((i) => ({ what: `ingress ${i.id}`, address: i.address })),
    ...facts.egresses.map((e) => ({ what: `egress ${e.id}`, address: e.address })),
    ...facts.endpoints.map((e) => ({ what: `endpoint ${e.functions}`, address: e.url })),
  ];
}

/**
 * module.yaml's addresses name a Service of every overlay (host = its name, or name.namespace…, and a
 * port it exposes) and a compose service: the one file serves both.
 */
export function checkModuleAddresses(facts: ModuleFacts, moduleFile: string, files: DeployFiles): Problem[] {
  const problems: Problem[] = [];
  for (const { what, address } of moduleAddresses(facts)) {
    const hp = hostPort(address);
    const here = (message: string): Problem => ({ file: moduleFile, resource: what, message });
    if (hp === undefined) {
      problems.push(here(`address "${address}" has no host:port`));
      continue;
    }
    if (LOOPBACK_HOST.test(hp.host)) {
      problems.push(
        here(`address ${address} is loopback: in a container that is the StateFun container itself`),
      );
      continue;
    }
    const name = hp.host.split('.')[0];
    for (const overlay of files.overlays) {
      const service = overlay.objects.find((o) => o.kind === 'Service' && o.name === name);
      if (service === undefined) problems.push(here(`${address}: ${overlay.dir} builds no Service ${name}`));
      else if (!servicePorts(service).some((p) => p.port === hp.port)) {
        problems.push(here(`${address}: Service ${name} in ${overlay.dir} does not expose port ${hp.port}`));
      }
    }
    if (
      files.compose !== undefined &&
      !files.compose.services.some((s) => s.name === name || hasAlias(s.raw, name))
    ) {
      problems.push(here(`${address}: ${files.compose.file} has no service ${name}`));
    }
  }
  return problems;
}

function hasAlias(service: Record<string, unknown>, name: string): boolean {
  return Object.values(asObj(service.networks) ?? {}).some((n) => asArr(at(n, 'aliases')).includes(name));
}
