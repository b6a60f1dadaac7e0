import { asText, at } from './data';
import { ourTarget } from './images';
import type { DeployFiles } from './inputs';
import { resourceName, workloadsOf, type Container } from './k8s';
import type { Problem } from './problem';

const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const FACTORS: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes quantity (`250m`, `512Mi`, `1`) as a number, or undefined when it is not one. */
export function quantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * (match[2] === undefined ? 1 : FACTORS[match[2]]);
}

/** Probes on a container that stays up; requests (cpu, memory) and a memory limit on every container. */
export function containerProblems(container: Container): string[] {
  const problems: string[] = [];
  if (!container.runsToCompletion) {
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      if (container.raw[probe] === undefined) problems.push(`has no ${probe}`);
      for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
        const port = at(container.raw, probe, handler, 'port');
        if (
          typeof port === 'string' &&
          !/^\d+$/.test(port) &&
          !container.ports.some((p) => p.name === port)
        ) {
          problems.push(`${probe} names port "${port}", which the container does not declare`);
        }
      }
    }
  }
  const needed: [string, string][] = [
    ['requests', 'cpu'],
    ['requests', 'memory'],
    ['limits', 'memory'],
  ];
  for (const [kind, resource] of needed) {
    if (asText(at(container.raw, 'resources', kind, resource)) === undefined)
      problems.push(`has no resources.${kind}.${resource}`);
  }
  for (const resource of ['cpu', 'memory']) {
    const request = asText(at(container.raw, 'resources', 'requests', resource));
    const limit = asText(at(container.raw, 'resources', 'limits', resource));
    for (const [kind, text] of [
      ['requests', request],
      ['limits', limit],
    ] as const) {
      if (text !== undefined && quantity(text) === undefined)
        problems.push(`resources.${kind}.${resource} "${text}" is not a quantity`);
    }
    const [r, l] = [quantity(request ?? ''), quantity(limit ?? '')];
    if (r !== undefined && l !== undefined && r > l) {
      problems.push(`requests ${resource} ${request} above its limit ${limit}: the API server refuses it`);
    }
  }
  return problems;
}

/**
 * Kubernetes: every container has requests and a memory limit, and one that stays up has readiness and
 * liveness probes. Compose: every service that stays up has a healthcheck (its own, or its image's
 * HEALTHCHECK for images built here), and every depends_on waits for health or completion.
 */
export function checkProbes(files: DeployFiles): { problems: Problem[]; containers: number } {
  const problems: Problem[] = [];
  let containers = 0;
  for (const overlay of files.overlays) {
    for (const workload of workloadsOf(overlay.objects)) {
      for (const container of workload.containers) {
        containers += 1;
        const where = {
          file: overlay.dir,
          resource: resourceName(workload.object),
          container: container.name,
        };
        problems.push(...containerProblems(container).map((message) => ({ ...where, message })));
      }
    }
  }
  const services = files.compose?.services ?? [];
  const stages = files.dockerfile?.stages ?? [];
  const healthy = (name: string) => {
    const service = services.find((s) => s.name === name);
    if (service === undefined) return false;
    const target = service.build?.target ?? ourTarget(service.image ?? '');
    return (
      service.healthcheck || (target !== undefined && stages.some((s) => s.name === target && s.healthcheck))
    );
  };
  for (const service of services) {
    containers += 1;
    const where = { file: files.compose?.file ?? '', resource: `service ${service.name}` };
    if (!service.oneShot && !healthy(service.name)) {
      problems.push({ ...where, message: 'stays up but has no healthcheck, nor does its image' });
    }
    for (const dep of service.dependsOn) {
      const target = services.find((s) => s.name === dep.service);
      if (target === undefined) {
        problems.push({ ...where, message: `depends on ${dep.service}, which is not a service` });
        continue;
      }
      if (!dep.stated) {
        problems.push({
          ...where,
          message: `depends on ${dep.service} without a condition: it waits only for the container to start`,
        });
      } else if (target.oneShot && dep.condition !== 'service_completed_successfully') {
        problems.push({
          ...where,
          message: `depends on one-shot ${dep.service} with ${dep.condition}: wait for service_completed_successfully`,
        });
      } else if (dep.condition === 'service_healthy' && !healthy(dep.service)) {
        problems.push({
          ...where,
          message: `waits for ${dep.service} to be healthy, but it has no healthcheck: compose refuses to start`,
        });
      }
    }
  }
  return { problems, containers };
}
