import { asArr, asObj, asStr, at, type Obj } from './data';

/** A service of the normalized compose model (compose-go's output: long syntax everywhere). */
export interface ComposeService {
  name: string;
  image: string | undefined;
  build: { context: string; dockerfile: string; target: string | undefined } | undefined;
  /** null: passed through from the host's environment. */
  environment: Record<string, string | null>;
  /** Set and not disabled. */
  healthcheck: boolean;
  /** Normalized: the short form reads as service_started. `stated`: the file itself names the condition. */
  dependsOn: { service: string; condition: string; stated: boolean }[];
  /** `restart: "no"` stated: a one-shot that runs to completion. */
  oneShot: boolean;
  binds: { source: string; target: string }[];
  /** Where anything is mounted: binds, volumes (named or anonymous) and tmpfs. */
  mounts: string[];
  raw: Obj;
}

/**
 * The normalized model (compose-go's JSON), and the file as written (YAML with merge keys resolved), which
 * alone tells a stated condition from the short form's implied one.
 */
export function composeServices(model: unknown, written: unknown): ComposeService[] {
  return Object.entries(asObj(at(model, 'services')) ?? {}).map(([name, value]) => {
    const writtenDeps = asObj(at(written, 'services', name, 'depends_on'));
    const raw = asObj(value) ?? {};
    const build = asObj(raw.build);
    const environment: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(asObj(raw.environment) ?? {})) {
      environment[k] = typeof v === 'string' ? v : v === null ? null : String(v);
    }
    const health = asObj(raw.healthcheck);
    return {
      name,
      image: asStr(raw.image),
      build:
        build === undefined
          ? undefined
          : {
              context: asStr(build.context) ?? '.',
              dockerfile: asStr(build.dockerfile) ?? 'Dockerfile',
              target: asStr(build.target),
            },
      environment,
      healthcheck: health !== undefined && health.disable !== true && !isNoneTest(health.test),
      dependsOn: Object.entries(asObj(raw.depends_on) ?? {}).map(([service, dep]) => ({
        service,
        condition: asStr(at(dep, 'condition')) ?? 'service_started',
        stated: asStr(at(writtenDeps?.[service], 'condition')) !== undefined,
      })),
      oneShot: raw.restart === 'no',
      binds: asArr(raw.volumes).flatMap((v) => {
        const source = asStr(at(v, 'source'));
        const target = asStr(at(v, 'target'));
        return at(v, 'type') === 'bind' && source !== undefined && target !== undefined
          ? [{ source, target }]
          : [];
      }),
      mounts: [
        ...asArr(raw.volumes).flatMap((v) => asStr(at(v, 'target')) ?? []),
        ...asArr(raw.tmpfs).flatMap((t) => asStr(t)?.split(':')[0] ?? []),
      ],
      raw,
    };
  });
}

function isNoneTest(test: unknown): boolean {
  return asArr(test)[0] === 'NONE';
}
