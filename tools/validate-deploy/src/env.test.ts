import { checkEnv, type CodeEnv } from './env';
import { envReadsIn, mergeReads } from './env-reads';
import { composeService, container, deployment, files, messages, object, overlay } from './testing';

const code: CodeEnv = new Map([
  [
    'gateway',
    mergeReads([
      envReadsIn(
        [
          "envString(env, 'KAFKA_BROKERS', '127.0.0.1:9092');",
          "envString(env, 'REDIS_URL', 'redis://127.0.0.1:6379');",
          "envInt(env, 'GATEWAY_REPLICAS', 2, 1, 64);",
          "envString(env, 'GATEWAY_REPLICA_ID', 'x');",
          "envOneOf(env, 'LOG_LEVEL', LEVELS, 'info');",
        ].join('\n'),
        'config.ts',
      ),
    ]),
  ],
  ['functions', mergeReads([envReadsIn("process.env.FUNCTIONS_PORT || '8001'", 'main.ts')])],
]);

describe('validate-deploy > env', () => {
  it('passes a container that sets only what its code reads, and what it must', () => {
    const result = checkEnv(files({ overlays: [overlay([deployment('gateway')])] }), code);
    expect(result).toEqual({ problems: [], containers: 1 });
  });

  it('catches a variable the code never reads, judged by the image the container runs', () => {
    const functions = container({
      image: 'statefun-shop/functions:0.1.0',
      env: [{ name: 'KAFKA_BROKERS', value: 'kafka:9092' }],
    });
    const result = checkEnv(files({ overlays: [overlay([deployment('functions', [functions])])] }), code);
    expect(messages(result.problems)).toEqual([
      "sets KAFKA_BROKERS, which the functions image's code never reads",
    ]);
  });

  it('catches a required variable unset or set to loopback, and the contract values', () => {
    const bad = container({
      env: [
        { name: 'KAFKA_BROKERS', value: '127.0.0.1:9092' },
        { name: 'GATEWAY_REPLICAS', value: '2' },
        { name: 'GATEWAY_REPLICA_ID', value: 'one' },
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
    });
    const result = checkEnv(files({ overlays: [overlay([deployment('gateway', [bad])])] }), code);
    expect(messages(result.problems)).toEqual([
      expect.stringContaining('sets KAFKA_BROKERS=127.0.0.1:9092: a loopback address'),
      expect.stringContaining('sets GATEWAY_REPLICAS=2, not 1'),
      expect.stringContaining('sets GATEWAY_REPLICA_ID: leave it unset'),
      'sets LOG_LEVEL twice; the last one wins',
      expect.stringContaining(
        'does not set REDIS_URL, whose default is a loopback address (read at config.ts:2)',
      ),
    ]);
  });

  it('resolves envFrom ConfigMaps (with their prefix) from the same overlay, and reports a missing one', () => {
    const cm = object('ConfigMap', 'gateway-env', {
      data: {
        KAFKA_BROKERS: 'kafka:9092',
        REDIS_URL: 'redis://redis:6379',
        GATEWAY_REPLICAS: '1',
        TYPO: 'x',
      },
    });
    const viaConfigMap = container({ env: [], envFrom: [{ configMapRef: { name: 'gateway-env' } }] });
    const found = checkEnv(files({ overlays: [overlay([cm, deployment('gateway', [viaConfigMap])])] }), code);
    expect(messages(found.problems)).toEqual(["sets TYPO, which the gateway image's code never reads"]);
    const missing = container({ envFrom: [{ secretRef: { name: 'absent' } }] });
    const result = checkEnv(files({ overlays: [overlay([deployment('gateway', [missing])])] }), code);
    expect(messages(result.problems)).toEqual([
      expect.stringContaining('envFrom names Secret absent, which the overlay does not build'),
    ]);
  });

  it('counts a valueFrom variable as set, and skips third-party images', () => {
    const fromSecret = container({
      env: [
        { name: 'KAFKA_BROKERS', value: 'kafka:9092' },
        { name: 'REDIS_URL', valueFrom: { secretKeyRef: { name: 'redis', key: 'url' } } },
        { name: 'GATEWAY_REPLICAS', value: '1' },
      ],
    });
    const kafka = container({ image: 'apache/kafka:3.9.1', env: [{ name: 'KAFKA_NODE_ID', value: '1' }] });
    const result = checkEnv(
      files({ overlays: [overlay([deployment('gateway', [fromSecret, kafka])])] }),
      code,
    );
    expect(result).toEqual({ problems: [], containers: 1 });
  });

  it('checks compose services by their build target or image', () => {
    const compose = {
      file: 'docker-compose.yml',
      services: [
        composeService('users', {
          image: 'statefun-shop/gateway:0.1.0',
          environment: {
            KAFKA_BROKERS: 'kafka:9092',
            REDIS_URL: 'redis://redis:6379',
            GATEWAY_REPLICAS: '1',
            SHOP_DOMAIN: 'users',
          },
        }),
      ],
    };
    expect(messages(checkEnv(files({ compose }), code).problems)).toEqual([
      "sets SHOP_DOMAIN, which the gateway image's code never reads",
    ]);
  });
});
