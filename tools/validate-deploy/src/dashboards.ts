import path from 'node:path';
import { asArr, asObj, asStr, at, type Obj } from './data';
import type { Overlay } from './inputs';
import type { Problem } from './problem';
import { parseDocuments } from './yaml-docs';

/** A file of the repo, by its path relative to the root, and its text. */
export interface RepoFile {
  file: string;
  text: string;
}

/** `${name}`, `$name`: a data source named by a template variable. */
const VARIABLE = /^\$\{?(\w+)\}?$/;

/** The uids of the data sources that Grafana provisioning files declare. */
export function provisionedUids(files: readonly RepoFile[]): { uids: Set<string>; problems: Problem[] } {
  const uids = new Set<string>();
  const problems: Problem[] = [];
  for (const { file, text } of files) {
    const parsed = parseDocuments(text);
    problems.push(...parsed.errors.map((message) => ({ file, message })));
    for (const doc of parsed.docs) {
      for (const source of asArr(at(doc, 'datasources'))) {
        const uid = asStr(at(source, 'uid'));
        if (uid === undefined)
          problems.push({ file, message: `data source ${String(at(source, 'name'))} has no uid` });
        else uids.add(uid);
      }
    }
  }
  return { uids, problems };
}

/** Every panel, rows' nested panels included. */
function panelsOf(dashboard: Obj): Obj[] {
  return asArr(dashboard.panels)
    .map(asObj)
    .filter((p) => p !== undefined)
    .flatMap((p) => [
      p,
      ...asArr(p.panels)
        .map(asObj)
        .filter((n) => n !== undefined),
    ]);
}

/** The uid a `datasource` field names: `{uid}` or, as older dashboards write it, a bare string. */
function datasourceUid(value: unknown): string | undefined {
  return asStr(value) ?? asStr(at(value, 'uid'));
}

/**
 * One dashboard: it parses, every panel but a row has a query, and every data source it names is
 * provisioned, directly by uid or through a `datasource` variable whose default is.
 */
export function dashboardProblems(
  dashboard: RepoFile,
  provisioned: ReadonlySet<string>,
): { problems: Problem[]; panels: number } {
  const here = (message: string, resource?: string): Problem => ({ file: dashboard.file, resource, message });
  let parsed: unknown;
  try {
    parsed = JSON.parse(dashboard.text);
  } catch (error) {
    return { problems: [here(`is not JSON: ${(error as Error).message}`)], panels: 0 };
  }
  const root = asObj(parsed);
  if (root === undefined) return { problems: [here('is not a JSON object')], panels: 0 };
  const problems: Problem[] = [];
  const variables = new Map<string, Obj>();
  for (const v of asArr(at(root, 'templating', 'list'))) {
    const name = asStr(at(v, 'name'));
    const variable = asObj(v);
    if (name !== undefined && variable !== undefined) variables.set(name, variable);
  }
  const checked = new Set<string>();
  const checkUid = (uid: string, where: string) => {
    const named = VARIABLE.exec(uid)?.[1];
    if (named === undefined) {
      if (!provisioned.has(uid))
        problems.push(here(`names data source uid "${uid}", which no provisioning file declares`, where));
      return;
    }
    const variable = variables.get(named);
    if (variable === undefined || variable.type !== 'datasource') {
      problems.push(
        here(`names data source ${uid}, which is not a datasource variable of the dashboard`, where),
      );
      return;
    }
    const current = asStr(at(variable, 'current', 'value'));
    // once per variable, not once per panel that uses it
    if (checked.has(named)) return;
    checked.add(named);
    if (current === undefined || !provisioned.has(current))
      problems.push(
        here(
          `variable ${named} defaults to data source "${String(current)}", which no provisioning file declares`,
          where,
        ),
      );
  };
  const panels = panelsOf(root).filter((p) => p.type !== 'row');
  for (const panel of panels) {
    const where = `panel "${asStr(panel.title) ?? String(panel.id)}"`;
    const targets = asArr(panel.targets)
      .map(asObj)
      .filter((t) => t !== undefined);
    if (!targets.some((t) => (asStr(t.expr) ?? '').trim() !== '')) problems.push(here('has no query', where));
    for (const uid of [panel.datasource, ...targets.map((t) => t.datasource)].map(datasourceUid)) {
      if (uid !== undefined) checkUid(uid, where);
    }
  }
  return { problems, panels: panels.length };
}

/** Each overlay ships each dashboard unchanged in a ConfigMap (Grafana's sidecar loads it from there). */
export function dashboardConfigMapProblems(
  dashboards: readonly RepoFile[],
  overlays: readonly Overlay[],
): Problem[] {
  const problems: Problem[] = [];
  for (const overlay of overlays) {
    const shipped = overlay.objects
      .filter((o) => o.kind === 'ConfigMap')
      .flatMap((o) => Object.entries(asObj(o.raw.data) ?? {}));
    for (const dashboard of dashboards) {
      const key = path.basename(dashboard.file);
      const copy = shipped.find(([k]) => k === key)?.[1];
      if (copy === undefined)
        problems.push({ file: overlay.dir, message: `has no ConfigMap holding ${dashboard.file}` });
      else if (copy !== dashboard.text)
        problems.push({
          file: overlay.dir,
          message: `ships a ConfigMap ${key} that differs from ${dashboard.file}`,
        });
    }
  }
  return problems;
}
