import { entryWorkspace, envReadsIn, mergeReads, workspaceClosure, type Workspace } from './env-reads';

describe('validate-deploy > env reads', () => {
  it('finds service-kit helpers, env.X, env[X] and process.env, with loopback defaults', () => {
    const source = [
      "const brokers = envString(env, 'KAFKA_BROKERS', '127.0.0.1:9092');",
      "const port = envInt(env, 'PORT', 8000, 0, 65535);",
      "const level = envOneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info');",
      'const cert = env.HTTP_INGRESS_TLS_CERT ?? "";',
      "const key = env['HTTP_INGRESS_TLS_KEY'];",
      "const host = process.env.FUNCTIONS_HOST || '0.0.0.0';",
      "const redis = process.env.REDIS_URL ?? 'redis://localhost:6379';",
      'const notEnv = environment.NOT_READ; const lower = env.lowercase;',
    ].join('\n');
    const reads = envReadsIn(source, 'config.ts');
    expect(reads.map((r) => r.name).sort()).toEqual(
      [
        'FUNCTIONS_HOST',
        'HTTP_INGRESS_TLS_CERT',
        'HTTP_INGRESS_TLS_KEY',
        'KAFKA_BROKERS',
        'LOG_LEVEL',
        'PORT',
        'REDIS_URL',
      ].sort(),
    );
    const required = reads.filter((r) => r.loopbackDefault).map((r) => r.name);
    expect(required.sort()).toEqual(['KAFKA_BROKERS', 'REDIS_URL']);
    expect(reads.find((r) => r.name === 'PORT')!.sites).toEqual(['config.ts:2']);
  });

  it('merges reads across files: a loopback default anywhere makes the variable required', () => {
    const merged = mergeReads([
      envReadsIn("env.X ?? '1'", 'a.ts'),
      envReadsIn("env.X ?? 'localhost:1'", 'b.ts'),
    ]);
    expect(merged.get('X')).toEqual({ name: 'X', loopbackDefault: true, sites: ['a.ts:1', 'b.ts:1'] });
  });

  const workspaces: Workspace[] = [
    { dir: 'protos', name: '@shop/protos', dependencies: [] },
    { dir: 'libs/kit', name: '@shop/kit', dependencies: ['@shop/protos'] },
    { dir: 'services/gateway', name: '@shop/gateway', dependencies: ['@shop/kit', '@shop/protos'] },
    { dir: 'functions', name: '@shop/functions', dependencies: ['@shop/protos'] },
  ];

  it('finds the workspace an image command runs, under any WORKDIR', () => {
    expect(entryWorkspace(['node', 'services/gateway/dist/main.js'], workspaces)?.dir).toBe(
      'services/gateway',
    );
    expect(entryWorkspace(['node', '/app/functions/dist/main.js'], workspaces)?.dir).toBe('functions');
    expect(entryWorkspace(['redis-server'], workspaces)).toBeUndefined();
  });

  it('follows workspace dependencies transitively, and only those', () => {
    expect(
      workspaceClosure(workspaces, 'services/gateway')
        .map((w) => w.dir)
        .sort(),
    ).toEqual(['libs/kit', 'protos', 'services/gateway']);
    expect(
      workspaceClosure(workspaces, 'functions')
        .map((w) => w.dir)
        .sort(),
    ).toEqual(['functions', 'protos']);
  });
});
