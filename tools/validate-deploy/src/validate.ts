import fs from 'node:fs';
import path from 'node:path';
import { STATEFUN_FILES, checkConfigFiles } from './config-files';
import { dashboardConfigMapProblems, dashboardProblems, provisionedUids, type RepoFile } from './dashboards';
import { checkFlinkPaths } from './flink-paths';
import { checkEnv, type CodeEnv } from './env';
import { checkImages, imageUses } from './images';
import type { DeployFiles, Overlay } from './inputs';
import { resourceName, workloadsOf } from './k8s';
import { checkModule, readModule, readTopicsFile, type CodeTopology } from './module-yaml';
import type { CheckResult, Problem } from './problem';
import { checkProbes } from './probes';
import { checkModuleAddresses, checkOverlayReferences, externalSecrets } from './references';
import {
  buildOverlay,
  codeEnvOf,
  loadCompose,
  overlayDirs,
  readDockerfile,
  readText,
  readWorkspaces,
} from './repo';
import { schemaProblems } from './schema';
import { crdValidators, type CrdValidator } from './crd-schema';
import { flinkDeploymentProblems, isFlinkDeployment } from './flink-deployment';
import { FLINK_DEPLOYMENT_REQUIRED, type CrdResult } from './operator-crd';
import type { ToolResult } from './tools';
import { asObj } from './data';
import { parseDocuments } from './yaml-docs';

export const MODULE_FILE = 'statefun/module.yaml';
export const TOPICS_FILE = 'statefun/topics.txt';
export const FLINK_CONF_FILE = 'statefun/flink-conf.yaml';
export const DASHBOARDS_DIR = 'deploy/grafana/dashboards';
export const DATASOURCES_DIR = 'deploy/grafana/provisioning/datasources';

/** The files of a repo folder whose names end in one of `extensions`, sorted. */
function filesIn(root: string, dir: string, extensions: readonly string[]): RepoFile[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => extensions.some((ext) => name.endsWith(ext)))
    .sort()
    .map((name) => ({ file: `${dir}/${name}`, text: fs.readFileSync(path.join(full, name), 'utf8') }));
}

export interface Tools {
  kustomize: ToolResult;
  compose: ToolResult;
  /** The Flink Kubernetes Operator's FlinkDeployment CRD, parsed. */
  flinkCrd: CrdResult;
}

/** Validators of the CRDs at hand, or why there are none. */
function customSchemas(tools: Tools): { validators: CrdValidator[]; error?: string; note?: string } {
  if ('error' in tools.flinkCrd) return { validators: [], error: tools.flinkCrd.error };
  try {
    return {
      validators: crdValidators(tools.flinkCrd.crd, FLINK_DEPLOYMENT_REQUIRED),
      note: `FlinkDeployment against the operator's CRD: ${tools.flinkCrd.describe}`,
    };
  } catch (error) {
    return { validators: [], error: `the FlinkDeployment CRD: ${(error as Error).message}` };
  }
}

function result(name: string, summary: string, problems: Problem[], notes: string[] = []): CheckResult {
  return { name, summary, problems, notes };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : /s$/.test(word) ? 'es' : 's'}`;

/** Runs every check over the repo at `root`; the tools build the overlays and load the compose file. */
export function validate(root: string, tools: Tools, code: CodeTopology): CheckResult[] {
  const results: CheckResult[] = [];

  // 1. The compose file parses and validates against the Compose Specification.
  const composeProblems: Problem[] = [];
  let compose: DeployFiles['compose'];
  if ('error' in tools.compose) {
    composeProblems.push({ file: 'compose', message: tools.compose.error });
  } else {
    const loaded = loadCompose(root, tools.compose.tool);
    if (loaded.file === undefined)
      composeProblems.push({ file: 'docker-compose.yml', message: 'is missing' });
    else if (loaded.error !== undefined) composeProblems.push({ file: loaded.file, message: loaded.error });
    else if (loaded.services !== undefined) compose = { file: loaded.file, services: loaded.services };
  }
  results.push(
    result(
      'compose',
      compose === undefined
        ? 'does not load'
        : `${compose.file} validates against the Compose Specification: ${plural(compose.services.length, 'service')}`,
      composeProblems,
      'tool' in tools.compose ? [`loader: ${tools.compose.tool.describe}`] : [],
    ),
  );

  // 2. Every overlay builds, and every object it builds names itself.
  const kustomizeProblems: Problem[] = [];
  const overlays: Overlay[] = [];
  const dirs = overlayDirs(root);
  if (dirs.length === 0)
    kustomizeProblems.push({
      file: 'k8s/overlays',
      message: 'has no overlay (a folder with a kustomization.yaml)',
    });
  if ('error' in tools.kustomize) {
    kustomizeProblems.push({ file: 'k8s/overlays', message: tools.kustomize.error });
  } else {
    for (const dir of dirs) {
      const built = buildOverlay(root, dir, tools.kustomize.tool);
      kustomizeProblems.push(...built.errors.map((message) => ({ file: dir, message })));
      if (built.overlay !== undefined) overlays.push(built.overlay);
    }
  }
  results.push(
    result(
      'kustomize',
      `${plural(overlays.length, 'overlay')} of ${dirs.length} build (${overlays.map((o) => `${path.basename(o.dir)}: ${plural(o.objects.length, 'object')}`).join(', ')})`,
      kustomizeProblems,
      'tool' in tools.kustomize ? [`builder: ${tools.kustomize.tool.describe}`] : [],
    ),
  );

  const dockerfile = readDockerfile(root);
  const files: DeployFiles = { dockerfile, compose, overlays };

  // 3. The built objects against the Kubernetes API's schemas.
  const schemaResult: Problem[] = [];
  const unchecked = new Set<string>();
  let schemaChecked = 0;
  const custom = customSchemas(tools);
  for (const overlay of overlays) {
    for (const o of overlay.objects) {
      const crd = custom.validators.find((v) => v.apiVersion === o.apiVersion && v.kind === o.kind);
      if (crd === undefined && isFlinkDeployment(o) && custom.error !== undefined)
        schemaResult.push({ file: overlay.dir, resource: resourceName(o), message: custom.error });
      const found = schemaProblems(o) ?? crd?.validate(o);
      if (found === undefined) unchecked.add(`${o.apiVersion} ${o.kind}`);
      else schemaChecked += 1;
      schemaResult.push(
        ...(found ?? []).map((message) => ({ file: overlay.dir, resource: resourceName(o), message })),
      );
    }
  }
  results.push(
    result(
      'k8s schemas',
      `${plural(schemaChecked, 'object')} match the Kubernetes API's schemas and the CRDs'`,
      schemaResult,
      [
        ...(custom.note === undefined ? [] : [custom.note]),
        ...(unchecked.size === 0 ? [] : [`no schema, not checked: ${[...unchecked].sort().join(', ')}`]),
      ],
    ),
  );

  // 4. Images: ours built by a Dockerfile stage, others pinned.
  const imageProblems = checkImages(files);
  if (dockerfile === undefined)
    imageProblems.unshift({ file: 'Dockerfile', message: 'is missing: none of our images can be built' });
  const targets = (dockerfile?.stages ?? []).map((s) => s.name).filter((n) => n !== undefined);
  results.push(
    result(
      'images',
      `${plural(imageUses(files).length, 'image reference')}; Dockerfile targets: ${targets.join(', ') || 'none'}`,
      imageProblems,
    ),
  );

  // 5. Environment: what our containers set is what their code reads, and what it needs set is set.
  const workspaces = readWorkspaces(root);
  const codeEnv: CodeEnv = new Map();
  const envNotes: string[] = [];
  for (const stage of dockerfile?.stages ?? []) {
    if (stage.name === undefined) continue;
    const found = codeEnvOf(root, stage, workspaces);
    if (found === undefined) continue;
    codeEnv.set(stage.name, found.reads);
    const required = [...found.reads.values()].filter((r) => r.loopbackDefault).map((r) => r.name);
    envNotes.push(
      `${stage.name} runs ${found.entry.dir} (+${plural(found.closure.length - 1, 'workspace')}): reads ${[...found.reads.keys()].sort().join(', ')}; must be set: ${required.join(', ') || 'none'}`,
    );
  }
  const env = checkEnv(files, codeEnv);
  results.push(
    result('env', `${plural(env.containers, 'container')} of ours checked`, env.problems, envNotes),
  );

  // 6. module.yaml and topics.txt against the code's topics, function types and egress.
  const moduleProblems: Problem[] = [];
  const moduleText = readText(root, MODULE_FILE);
  const topicsText = readText(root, TOPICS_FILE);
  let moduleFacts: ReturnType<typeof readModule>['facts'] | undefined;
  if (moduleText === undefined) {
    moduleProblems.push({ file: MODULE_FILE, message: 'is missing' });
  } else {
    const parsed = parseDocuments(moduleText);
    const read = readModule(parsed.docs);
    moduleFacts = read.facts;
    moduleProblems.push(
      ...[...parsed.errors, ...read.errors].map((message) => ({ file: MODULE_FILE, message })),
    );
    moduleProblems.push(
      ...checkModule(
        read.facts,
        code,
        { module: MODULE_FILE, topics: TOPICS_FILE },
        topicsText === undefined ? undefined : readTopicsFile(topicsText),
      ),
    );
  }
  results.push(
    result(
      'module.yaml',
      moduleFacts === undefined
        ? 'not read'
        : `${plural(moduleFacts.ingresses.length, 'ingress')}, ${plural(moduleFacts.egresses.length, 'egress')}, ${plural(moduleFacts.endpoints.length, 'endpoint')} against ${plural(code.topics.length, 'topic')} and ${plural(code.served.length, 'served function type')}`,
      moduleProblems,
    ),
  );

  // 7. Config files: one copy, the repo's, mounted where the images read them.
  const repoFiles = new Map<string, string>();
  const statefunDir = path.join(root, 'statefun');
  for (const name of fs.existsSync(statefunDir) ? fs.readdirSync(statefunDir) : []) {
    if (name.startsWith('kustomization.')) continue;
    const text = readText(root, `statefun/${name}`);
    if (text !== undefined) repoFiles.set(`statefun/${name}`, text);
  }
  results.push(
    result(
      'config files',
      `statefun/ files in ConfigMaps and mounts are the repo's (${[...repoFiles.keys()].map((f) => path.basename(f)).join(', ')})`,
      checkConfigFiles(files, repoFiles, (file) => fs.existsSync(path.join(root, file))),
    ),
  );

  // 7b. Where Flink writes: on a volume in every StateFun container.
  const flinkConfText = repoFiles.get(FLINK_CONF_FILE);
  const flinkConf = flinkConfText === undefined ? undefined : parseDocuments(flinkConfText);
  const isStatefun = (image: string) => STATEFUN_FILES.some((f) => f.image.test(image));
  const flinkPaths = checkFlinkPaths(files, asObj(flinkConf?.docs[0]) ?? {}, isStatefun);
  results.push(
    result(
      'flink paths',
      `${plural(flinkPaths.paths.length, 'folder')} Flink writes to (${flinkPaths.paths.join(', ')}) on volumes`,
      [
        ...(flinkConf === undefined ? [{ file: FLINK_CONF_FILE, message: 'is missing' }] : []),
        ...(flinkConf?.errors ?? []).map((message) => ({ file: FLINK_CONF_FILE, message })),
        ...flinkPaths.problems,
      ],
    ),
  );

  // 7c. FlinkDeployments: what the shop needs of them beyond the CRD's schema.
  const flinkDeployments = overlays.flatMap((overlay) =>
    overlay.objects.filter(isFlinkDeployment).map((o) => ({ overlay, o })),
  );
  results.push(
    result(
      'flink operator',
      flinkDeployments.length === 0
        ? 'no FlinkDeployment'
        : `${plural(flinkDeployments.length, 'FlinkDeployment')} (${flinkDeployments.map(({ overlay, o }) => `${path.basename(overlay.dir)}: ${o.name}`).join(', ')}): savepoint upgrades, parallelism, S3, HA, module.yaml, flink-conf.yaml's keys`,
      flinkDeployments.flatMap(({ overlay, o }) =>
        flinkDeploymentProblems(o, overlay, asObj(flinkConf?.docs[0]) ?? {}),
      ),
    ),
  );

  // 8. Probes and resources.
  const probes = checkProbes(files);
  results.push(
    result(
      'probes & resources',
      `${plural(probes.containers, 'container')} and compose services`,
      probes.problems,
    ),
  );

  // 9. References: every selector, backend and name points at something built.
  const refProblems = overlays.flatMap(checkOverlayReferences);
  if (moduleFacts !== undefined) refProblems.push(...checkModuleAddresses(moduleFacts, MODULE_FILE, files));
  const workloads = overlays.reduce((n, o) => n + workloadsOf(o.objects).length, 0);
  results.push(
    result(
      'references',
      `Services, HPAs, PDBs, Ingresses and volumes of ${plural(workloads, 'workload')}; module.yaml's addresses`,
      refProblems,
      overlays.flatMap((o) => {
        const secrets = externalSecrets(o);
        return secrets.length === 0
          ? []
          : [`${o.dir} expects Secrets made outside it: ${secrets.join(', ')}`];
      }),
    ),
  );

  // 10. Grafana dashboards: they parse, every panel queries, their data source is provisioned, and every
  // overlay ships them unchanged.
  const dashboards = filesIn(root, DASHBOARDS_DIR, ['.json']);
  const provisioned = provisionedUids(filesIn(root, DATASOURCES_DIR, ['.yaml', '.yml']));
  const dashboardChecks = dashboards.map((d) => dashboardProblems(d, provisioned.uids));
  results.push(
    result(
      'dashboards',
      `${plural(dashboards.length, 'dashboard')}, ${plural(
        dashboardChecks.reduce((n, c) => n + c.panels, 0),
        'panel',
      )}; data sources provisioned: ${[...provisioned.uids].join(', ') || 'none'}`,
      [
        ...(dashboards.length === 0 ? [{ file: DASHBOARDS_DIR, message: 'has no dashboard' }] : []),
        ...provisioned.problems,
        ...dashboardChecks.flatMap((c) => c.problems),
        ...dashboardConfigMapProblems(dashboards, overlays),
      ],
    ),
  );
  return results;
}
