import type { ComposeService } from './compose';
import type { Stage } from './dockerfile';
import type { K8sObject } from './k8s';

/** One overlay's `kustomize build` output. */
export interface Overlay {
  /** The overlay's directory, relative to the repo root: how problems name it. */
  dir: string;
  objects: K8sObject[];
}

/** What every check reads: the deployment files, parsed. A part absent from the repo is undefined or empty. */
export interface DeployFiles {
  dockerfile: { file: string; stages: Stage[] } | undefined;
  compose: { file: string; services: ComposeService[] } | undefined;
  overlays: Overlay[];
}
