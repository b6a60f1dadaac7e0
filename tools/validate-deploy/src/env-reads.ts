/** One environment variable the code reads, and whether its default points at this machine. */
export interface EnvRead {
  name: string;
  /**
   * The default is a loopback address (127.0.0.1, localhost, ::1): right on a developer's machine, wrong
   * in a container, where the peer is another host. A container must set such a variable.
   */
  loopbackDefault: boolean;
  /** `file:line` of each read. */
  sites: string[];
}

const NAME = `([A-Z][A-Z0-9_]*)`;
/** A quoted default, in groups 2 to 4 (one per kind of quote). */
const DEFAULT = `(?:'([^']*)'|"([^"]*)"|\`([^\`]*)\`)`;
const OR_DEFAULT = `(?:\\s*(?:\\|\\||\\?\\?)\\s*${DEFAULT})?`;
// The shapes the shop reads configuration in: service-kit's helpers (`envString(env, 'X', 'default')`),
// and `env.X` / `env['X']` on a NodeJS.ProcessEnv, process.env included, with an `||` or `??` default.
const PATTERNS: RegExp[] = [
  new RegExp(`\\benv[A-Z]\\w*\\(\\s*[\\w.]+\\s*,\\s*['"]${NAME}['"](?:\\s*,\\s*${DEFAULT})?`, 'g'),
  new RegExp(`\\benv\\.${NAME}\\b${OR_DEFAULT}`, 'g'),
  new RegExp(`\\benv\\[\\s*['"]${NAME}['"]\\s*\\]${OR_DEFAULT}`, 'g'),
];

const LOOPBACK = /\b127\.\d+\.\d+\.\d+\b|\blocalhost\b|\[::1\]/;

/** The variables one source file reads (`env` parameters and `process.env` alike). */
export function envReadsIn(source: string, file: string): EnvRead[] {
  const reads = new Map<string, EnvRead>();
  for (const pattern of PATTERNS) {
    for (const match of source.matchAll(pattern)) {
      const name = match[1];
      const fallback = match[2] ?? match[3] ?? match[4];
      const line = source.slice(0, match.index).split('\n').length;
      const read = reads.get(name) ?? { name, loopbackDefault: false, sites: [] };
      read.loopbackDefault ||= fallback !== undefined && LOOPBACK.test(fallback);
      read.sites.push(`${file}:${line}`);
      reads.set(name, read);
    }
  }
  return [...reads.values()];
}

/** Merges the reads of many files by variable name. */
export function mergeReads(lists: EnvRead[][]): Map<string, EnvRead> {
  const merged = new Map<string, EnvRead>();
  for (const read of lists.flat()) {
    const seen = merged.get(read.name);
    merged.set(
      read.name,
      seen === undefined
        ? { ...read, sites: [...read.sites] }
        : {
            ...seen,
            loopbackDefault: seen.loopbackDefault || read.loopbackDefault,
            sites: [...seen.sites, ...read.sites],
          },
    );
  }
  return merged;
}

/** A workspace of the root package.json: its folder and the workspaces it depends on, by package name. */
export interface Workspace {
  dir: string;
  name: string;
  dependencies: string[];
}

/** The workspace `dir` and every workspace it depends on, directly or not: the code one image runs. */
export function workspaceClosure(workspaces: Workspace[], dir: string): Workspace[] {
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const start = workspaces.find((w) => w.dir === dir);
  if (start === undefined) return [];
  const seen = new Map<string, Workspace>([[start.name, start]]);
  const queue = [start];
  for (let w = queue.shift(); w !== undefined; w = queue.shift()) {
    for (const dep of w.dependencies) {
      const next = byName.get(dep);
      if (next !== undefined && !seen.has(dep)) {
        seen.set(dep, next);
        queue.push(next);
      }
    }
  }
  return [...seen.values()];
}

/**
 * The workspace whose program an image runs, from the words of its command: the one whose folder a
 * `.js` argument lies in (`node services/gateway/dist/main.js`, or under a WORKDIR such as /app).
 */
export function entryWorkspace(command: string[], workspaces: Workspace[]): Workspace | undefined {
  const scripts = command.filter((w) => /\.[cm]?js$/.test(w)).map((w) => `/${w.replace(/^\.?\//, '')}`);
  const longestFirst = [...workspaces].sort((a, b) => b.dir.length - a.dir.length);
  for (const script of scripts) {
    const found = longestFirst.find((w) => script.includes(`/${w.dir}/`));
    if (found !== undefined) return found;
  }
  return undefined;
}
