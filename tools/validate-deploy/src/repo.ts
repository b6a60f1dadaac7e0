import fs from 'node:fs';
import path from 'node:path';
import { composeServices, type ComposeService } from './compose';
import { asObj, asStr } from './data';
import { commandOf, parseDockerfile, type Stage } from './dockerfile';
import { entryWorkspace, envReadsIn, mergeReads, workspaceClosure, type Workspace } from './env-reads';
import type { Overlay } from './inputs';
import { toObjects } from './k8s';
import type { Tool } from './tools';
import { parse } from 'yaml';
import { parseDocuments } from './yaml-docs';

// Reading the repo: the only module of the checks that touches the disk or runs a program.

export function readText(root: string, file: string): string | undefined {
  const full = path.join(root, file);
  return fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
}

export function readWorkspaces(root: string): Workspace[] {
  const rootPackage = JSON.parse(readText(root, 'package.json') ?? '{}') as { workspaces?: string[] };
  const workspaces = (rootPackage.workspaces ?? []).map((dir) => {
    const pkg = JSON.parse(readText(root, `${dir}/package.json`) ?? '{}') as {
      name?: string;
      dependencies?: Record<string, string>;
    };
    return { dir, name: pkg.name ?? dir, dependencies: Object.keys(pkg.dependencies ?? {}) };
  });
  const names = new Set(workspaces.map((w) => w.name));
  return workspaces.map((w) => ({ ...w, dependencies: w.dependencies.filter((d) => names.has(d)) }));
}

function sourcesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const full = path.join(entry.parentPath, entry.name);
    return entry.isFile() &&
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.d.ts')
      ? [full]
      : [];
  });
}

/** What the code of one Dockerfile target reads: the sources of the workspace its CMD runs and its dependencies. */
export function codeEnvOf(root: string, stage: Stage, workspaces: Workspace[]) {
  const entry = entryWorkspace(commandOf(stage), workspaces);
  if (entry === undefined) return undefined;
  const closure = workspaceClosure(workspaces, entry.dir);
  const reads = mergeReads(
    closure.flatMap((w) =>
      sourcesUnder(path.join(root, w.dir, 'src')).map((file) =>
        envReadsIn(fs.readFileSync(file, 'utf8'), path.relative(root, file)),
      ),
    ),
  );
  return { entry, closure, reads };
}

export function readDockerfile(
  root: string,
  file = 'Dockerfile',
): { file: string; stages: Stage[] } | undefined {
  const text = readText(root, file);
  return text === undefined ? undefined : { file, stages: parseDockerfile(text) };
}

export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** The compose file, loaded and normalized by the compose tool, paths made relative to the repo again. */
export function loadCompose(root: string, tool: Tool) {
  const file = COMPOSE_FILES.find((f) => fs.existsSync(path.join(root, f)));
  if (file === undefined) return { file: undefined };
  const result = tool.run(file, root);
  if (!result.ok)
    return { file, error: result.stderr.trim() || result.stdout.trim(), seconds: result.seconds };
  let model: unknown;
  try {
    model = JSON.parse(result.stdout);
  } catch (error) {
    return {
      file,
      error: `the loader printed no JSON model: ${(error as Error).message}`,
      seconds: result.seconds,
    };
  }
  const relative = (p: string) => (path.isAbsolute(p) ? path.relative(root, p) || '.' : p);
  // Merge keys (`<<: *anchor`) as compose reads them; the loader has already refused a malformed file.
  const written: unknown = parse(readText(root, file) ?? '', { merge: true, maxAliasCount: 1000 });
  const services: ComposeService[] = composeServices(model, written).map((s) => ({
    ...s,
    build: s.build === undefined ? undefined : { ...s.build, context: relative(s.build.context) },
    binds: s.binds.map((b) => ({ ...b, source: relative(b.source) })),
  }));
  const name = asStr(asObj(model)?.name);
  return { file, services, name, seconds: result.seconds };
}

export function overlayDirs(root: string): string[] {
  const dir = path.join(root, 'k8s', 'overlays');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (e) =>
        e.isDirectory() &&
        ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((k) =>
          fs.existsSync(path.join(dir, e.name, k)),
        ),
    )
    .map((e) => `k8s/overlays/${e.name}`)
    .sort();
}

/** One overlay built, or why it did not build or parse. */
export function buildOverlay(
  root: string,
  dir: string,
  tool: Tool,
): { overlay?: Overlay; errors: string[]; seconds: number } {
  const result = tool.run(dir, root);
  if (!result.ok) return { errors: [result.stderr.trim() || 'kustomize failed'], seconds: result.seconds };
  const parsed = parseDocuments(result.stdout);
  const { objects, errors } = toObjects(parsed.docs, dir);
  return { overlay: { dir, objects }, errors: [...parsed.errors, ...errors], seconds: result.seconds };
}
