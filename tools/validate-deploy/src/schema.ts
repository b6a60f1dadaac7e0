import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { K8sObject } from './k8s';

// The Kubernetes API's own OpenAPI schemas, as kubernetes-models bundles them: offline, and catching
// wrong types and missing required fields (not unknown fields: the API's schemas allow them).

type Model = new (data: never) => { validate(): void };

const MODELS: Model[] = [
  ConfigMap,
  CronJob,
  DaemonSet,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  Namespace,
  NetworkPolicy,
  PersistentVolumeClaim,
  PodDisruptionBudget,
  Role,
  RoleBinding,
  Secret,
  Service,
  ServiceAccount,
  StatefulSet,
];

const BY_TYPE = new Map(
  MODELS.map((model) => {
    const { apiVersion, kind } = model as unknown as { apiVersion: string; kind: string };
    return [`${apiVersion}/${kind}`, model];
  }),
);

/** The schema problems of one object, or undefined when no bundled schema covers its kind (a CRD). */
export function schemaProblems(o: K8sObject): string[] | undefined {
  const model = BY_TYPE.get(`${o.apiVersion}/${o.kind}`);
  if (model === undefined) return undefined;
  try {
    new model(o.raw as never).validate();
    return [];
  } catch (error) {
    return (error instanceof Error ? error.message : String(error))
      .split(/,\s*(?=data\/)/)
      .map((m) => m.replace(/^data/, ''));
  }
}
