import { isIP } from 'node:net';
import { join } from 'node:path';

export const SCENARIOS = ['consistency', 'stress', 'find', 'all'] as const;
export type ScenarioChoice = (typeof SCENARIOS)[number];

/** What one `npm run bench` does, read once from its arguments. */
export interface BenchOptions {
  /** The shop to load (loopback only), or undefined to start the embedded shop. */
  url: string | undefined;
  scenario: ScenarioChoice;
  quick: boolean;
  /** Seconds each timed phase (find, stress, baselines) measures, after its warm-up. */
  durationS: number;
  /** Requests in flight at once in the timed phases and the setup. */
  concurrency: number;
  /** Users, items and orders that stress creates with batch_init. */
  stressSize: number;
  outDir: string;
  /** CPU-profile the servers this run starts (`node --cpu-prof`), and summarise the profiles. */
  profile: boolean;
  /** Skip the node-http and Express baselines (for sweeps that compare the shop with itself). */
  noBaselines: boolean;
  /** Minutes of the stress mix, judged for flatness, instead of the scenarios; undefined for none. */
  soakMinutes: number | undefined;
  /** Flink's REST API (loopback only), asked for checkpoint figures when the shop is the stack. */
  flinkRest: string;
  /** The stack's Prometheus (loopback only), whose graphs of the run the HTML report links to. */
  prometheus: string;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]

  --url URL            load a running shop (loopback addresses only); default: start the embedded shop
  --scenario NAME      consistency | stress | find | all (default all)
  --quick              short phases and a small stress data set: done in under 2 minutes
  --duration S         seconds each timed phase measures (default 20, 5 with --quick)
  --concurrency N      requests in flight at once (default 64)
  --stress-size N      users, items and orders stress creates (default 100000, 10000 with --quick)
  --out DIR            where the JSON and HTML reports go (default bench/results)
  --no-baselines       skip the bare Node and Express baselines (no ratios): for comparing shop settings
  --profile            CPU-profile the servers started here (node --cpu-prof) and print what costs most
  --soak MINUTES       run the stress mix for MINUTES (0.1 to 1440) and judge whether throughput and
                       every process's memory stay flat; instead of the baselines and the scenarios
  --flink-rest URL     Flink's REST API, for checkpoint figures against the stack (loopback only;
                       default http://127.0.0.1:8081)
  --prometheus URL     the stack's Prometheus: the HTML report links its graphs of the run's time window
                       when the shop is the stack (loopback only; default http://127.0.0.1:9090)
  --help               this text`;

/** A mistake in the command line, said so that the user can fix it. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const DEFAULT_OUT = join(__dirname, '..', 'results');

export function parseArgs(argv: readonly string[]): BenchOptions {
  const given = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"\n\n${USAGE}`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (!KNOWN.has(name)) throw new UsageError(`unknown option --${name}\n\n${USAGE}`);
    if (given.has(name)) throw new UsageError(`--${name} is given twice`);
    if (FLAGS.has(name)) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      given.set(name, true);
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value`);
    }
    given.set(name, value);
  }
  const text = (name: string): string | undefined => {
    const value = given.get(name);
    return typeof value === 'string' ? value : undefined;
  };

  const quick = given.has('quick');
  const scenario = text('scenario') ?? 'all';
  if (!(SCENARIOS as readonly string[]).includes(scenario)) {
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${scenario}"`);
  }
  const url = text('url');
  const soak = text('soak');
  if (soak !== undefined && given.has('scenario')) {
    throw new UsageError('--soak runs the stress mix on its own: leave out --scenario');
  }
  if (soak !== undefined && given.has('duration')) {
    throw new UsageError('--soak gives the length of the run in minutes: leave out --duration');
  }
  return {
    url: url === undefined ? undefined : loopbackUrl(url),
    scenario: scenario as ScenarioChoice,
    quick,
    durationS: integer(text('duration'), 'duration', quick ? 5 : 20, 1, 3600),
    concurrency: integer(text('concurrency'), 'concurrency', 64, 1, 4096),
    stressSize: integer(text('stress-size'), 'stress-size', quick ? 10_000 : 100_000, 10, 1_000_000),
    outDir: text('out') ?? DEFAULT_OUT,
    profile: given.has('profile'),
    noBaselines: given.has('no-baselines'),
    soakMinutes: soak === undefined ? undefined : minutes(soak, 'soak', 0.1, 1440),
    flinkRest: loopbackUrl(text('flink-rest') ?? DEFAULT_FLINK_REST, 'flink-rest'),
    prometheus: loopbackUrl(text('prometheus') ?? DEFAULT_PROMETHEUS, 'prometheus'),
    help: given.has('help'),
  };
}

const FLAGS = new Set(['quick', 'profile', 'help', 'no-baselines']);
const KNOWN = new Set([
  ...FLAGS,
  'url',
  'scenario',
  'duration',
  'concurrency',
  'stress-size',
  'out',
  'soak',
  'flink-rest',
  'prometheus',
]);
const DEFAULT_FLINK_REST = 'http://127.0.0.1:8081';
const DEFAULT_PROMETHEUS = 'http://127.0.0.1:9090';
const EXAMPLES: Record<string, string> = {
  url: 'http://127.0.0.1:8000',
  'flink-rest': DEFAULT_FLINK_REST,
  prometheus: DEFAULT_PROMETHEUS,
};

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** A positive decimal number (`0.5`, `30`), from `min` to `max`. */
function minutes(raw: string, name: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw) || !Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number of minutes from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * The base URL of the shop to load, refused unless it is on this machine: load only ever goes to
 * loopback addresses (127.0.0.0/8, ::1, localhost).
 */
export function loopbackUrl(raw: string, option = 'url'): string {
  const example = EXAMPLES[option] ?? DEFAULT_FLINK_REST;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--${option} must be a URL such as ${example}, got "${raw}"`);
  }
  if (url.protocol !== 'http:') throw new UsageError(`--${option} must be an http:// URL, got "${raw}"`);
  if (!isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `--${option} must point at this machine (127.0.0.0/8, [::1] or localhost): the benchmark sends requests to ` +
        `loopback addresses only, got "${url.hostname}"`,
    );
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new UsageError(`--${option} is a base URL, without a path or query, got "${raw}"`);
  }
  return url.origin;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (host.toLowerCase() === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
