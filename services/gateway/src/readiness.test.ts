import request from 'supertest';
import { KafkaBroker, MemoryBroker } from '@shop/broker';
import { freePort } from '../../../test/support/free-port';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server';
import type { Gateway } from './app';
import { MemoryCorrelationStore } from './correlation/memory-correlation-store';
import { RedisCorrelationStore } from './correlation/redis-correlation-store';
import { checkReadiness } from './readiness';
import { testGateway } from './testing';

describe('gateway > readiness', () => {
  it('reports each check by name, and a check that hangs as a timeout', async () => {
    const readiness = await checkReadiness(
      {
        fine: () => Promise.resolve(),
        broken: () => Promise.reject(new Error('connection refused')),
        stuck: () => new Promise<void>(() => undefined),
      },
      50,
    );
    expect(readiness).toEqual({
      ready: false,
      checks: { fine: 'ok', broken: 'connection refused', stuck: 'no answer in 50 ms' },
    });
  });

  describe('GET /readyz on a replica with Redis', () => {
    let redis: RedisServer;
    let store: RedisCorrelationStore;
    let gateway: Gateway;

    beforeAll(async () => {
      redis = await startRedisServer();
      store = await RedisCorrelationStore.connect({
        redis: redis.url,
        replicaId: 'readyz-test',
        ttlMs: 60_000,
        keyPrefix: 'readyz-test:',
      });
      const broker = new MemoryBroker();
      gateway = testGateway({
        broker,
        store,
        readiness: { kafka: () => broker.check(), redis: () => store.check() },
      });
      await gateway.start();
    });
    afterAll(async () => {
      await gateway.stop();
      await redis.stop();
    });

    it('answers 200 while Redis answers, then 503 naming Redis once it is gone; liveness stays 200', async () => {
      const up = await request(gateway.app).get('/readyz');
      expect(up.status).toBe(200);
      expect(up.body).toEqual({ status: 'ready', checks: { kafka: 'ok', redis: 'ok' } });

      await redis.stop();
      const down = await request(gateway.app).get('/readyz');
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('SHOP_ERR_UNAVAILABLE');
      expect(down.body.error).toMatch(/^not ready: redis: /);
      expect(down.body.checks.kafka).toBe('ok');
      expect(down.body.checks.redis).not.toBe('ok');

      expect((await request(gateway.app).get('/healthz')).status).toBe(200);
    });
  });

  it('answers 503 naming Kafka when no broker answers, within the probe bound', async () => {
    const port = await freePort();
    const broker = new KafkaBroker({ brokers: [`127.0.0.1:${port}`], clientId: 'readyz-test' });
    const store = new MemoryCorrelationStore(60_000);
    const gateway = testGateway({
      broker,
      store,
      readiness: { kafka: () => broker.check(), redis: () => store.check() },
      readinessTimeoutMs: 3_000,
    });
    try {
      const answer = await request(gateway.app).get('/readyz');
      expect(answer.status).toBe(503);
      expect(answer.body.error).toMatch(/^not ready: kafka: /);
      expect(answer.body.checks.redis).toBe('ok');
    } finally {
      await store.close();
      await broker.close();
    }
  });

  it('answers 503 once the replica drains, before its server closes', async () => {
    const store = new MemoryCorrelationStore(60_000);
    const gateway = testGateway({ store });
    expect((await request(gateway.app).get('/readyz')).status).toBe(200);
    gateway.drain();
    const answer = await request(gateway.app).get('/readyz');
    expect(answer.status).toBe(503);
    expect(answer.body.checks).toEqual({ gateway: 'shutting down' });
    await store.close();
  });
});
