import type { Stage } from './dockerfile';
import type { DeployFiles } from './inputs';
import { workloadsOf, resourceName } from './k8s';
import type { Problem } from './problem';

export interface ImageRef {
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** `registry:5000/a/b:tag@sha256:…` → its parts; a registry port is not a tag. */
export function splitImage(image: string): ImageRef {
  const [nameAndTag, digest] = image.split('@', 2);
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  return colon > slash
    ? { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest }
    : { repository: nameAndTag, tag: undefined, digest };
}

// Ours: `statefun-shop/<target>`, or a registry path ending in it (an overlay's `images: newName`).
const OURS = /(?:^|\/)statefun-shop\/([a-z0-9][a-z0-9._-]*)$/;

/** The Dockerfile target an image of ours is built from, or undefined for a third-party image. */
export function ourTarget(image: string): string | undefined {
  return OURS.exec(splitImage(image).repository)?.[1];
}

/** A pinned reference: a digest, or a tag other than `latest`. */
function pinProblem(image: string): string | undefined {
  const { tag, digest } = splitImage(image);
  if (digest !== undefined) return undefined;
  if (tag === undefined) return `image ${image} has no tag: it means :latest, which changes under you`;
  if (tag === 'latest') return `image ${image} is :latest, which changes under you: pin a version`;
  return undefined;
}

export interface ImageUse {
  image: string;
  where: Omit<Problem, 'message'>;
}

/** Every image a container or a Dockerfile stage names, wherever it is. */
export function imageUses(files: DeployFiles): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const stage of files.dockerfile?.stages ?? []) {
    if (!stage.baseIsStage && stage.base !== 'scratch') {
      uses.push({
        image: stage.base,
        where: { file: files.dockerfile?.file ?? 'Dockerfile', resource: `FROM (line ${stage.line})` },
      });
    }
  }
  for (const service of files.compose?.services ?? []) {
    if (service.image !== undefined) {
      uses.push({
        image: service.image,
        where: { file: files.compose?.file ?? '', resource: `service ${service.name}` },
      });
    }
  }
  for (const overlay of files.overlays) {
    for (const workload of workloadsOf(overlay.objects)) {
      for (const container of workload.containers) {
        uses.push({
          image: container.image,
          where: { file: overlay.dir, resource: resourceName(workload.object), container: container.name },
        });
      }
    }
  }
  return uses;
}

/**
 * Every image is ours, built by a stage of the Dockerfile, or a third-party one pinned to a version;
 * a compose service that builds names a stage, and the image it tags is that stage's.
 */
export function checkImages(files: DeployFiles): Problem[] {
  const problems: Problem[] = [];
  const stages: Stage[] = files.dockerfile?.stages ?? [];
  const targets = new Set(stages.map((s) => s.name).filter((n): n is string => n !== undefined));
  const dockerfile = files.dockerfile?.file ?? 'Dockerfile';
  for (const use of imageUses(files)) {
    if (use.image === '') {
      problems.push({ ...use.where, message: 'names no image' });
      continue;
    }
    const target = ourTarget(use.image);
    if (target !== undefined && !targets.has(target)) {
      problems.push({
        ...use.where,
        message: `image ${use.image} is ours, but ${dockerfile} has no stage "${target}" (it has: ${[...targets].join(', ') || 'none'})`,
      });
    }
    const unpinned = pinProblem(use.image);
    if (unpinned !== undefined) problems.push({ ...use.where, message: unpinned });
  }
  for (const service of files.compose?.services ?? []) {
    if (service.build === undefined) continue;
    const where = { file: files.compose?.file ?? '', resource: `service ${service.name}` };
    const { target, context, dockerfile: builds } = service.build;
    const buildsFile = context === '.' ? builds : `${context}/${builds}`;
    if (buildsFile !== dockerfile) {
      problems.push({ ...where, message: `builds ${buildsFile}, not the repo's one ${dockerfile}` });
    }
    if (target === undefined) {
      problems.push({
        ...where,
        message: `builds without a target: it would build the Dockerfile's last stage`,
      });
    } else if (!targets.has(target.toLowerCase())) {
      problems.push({ ...where, message: `builds target "${target}", which ${dockerfile} does not have` });
    }
    if (service.image === undefined) {
      problems.push({
        ...where,
        message: `builds an image but does not tag it: name it statefun-shop/${target ?? '<target>'}:<version>`,
      });
    } else if (target !== undefined && ourTarget(service.image) !== target.toLowerCase()) {
      problems.push({ ...where, message: `builds target "${target}" but tags it ${service.image}` });
    }
  }
  return problems;
}
