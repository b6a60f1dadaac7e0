import express from 'express';
import request from 'supertest';
import {
  HttpIngressMessageCodec,
  ReplyCodec,
  StringWrapperCodec,
  Topics,
  type HttpIngressMessage,
} from '@shop/protos';
import { MemoryBroker } from '@shop/broker';
import { startRedisServer, type RedisServer } from '../../../../test/support/redis-server';
import type { Gateway } from '../app';
import { RedisCorrelationStore } from '../correlation/redis-correlation-store';
import { testGateway } from '../testing';
import { httpIngressRoutes } from './http-ingress';

// Two gateway replicas on one Redis, as in the real stack: a message sent through one is answered on the
// egress topic, consumed by the other, and its reply is polled through either. StateFun's side is a
// stand-in that answers every message on shop-http-in, and holds its answer until told to.

describe('gateway > http ingress > replicas', () => {
  let redis: RedisServer;
  let broker: MemoryBroker;
  let a: RedisCorrelationStore;
  let b: RedisCorrelationStore;
  let consumer: Gateway;
  const held: { key: string; request: HttpIngressMessage }[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    broker = new MemoryBroker();
    const open = (replicaId: string) =>
      RedisCorrelationStore.connect({
        redis: redis.url,
        replicaId,
        ttlMs: 60_000,
        keyPrefix: 'ingress-test:',
      });
    [a, b] = await Promise.all([open('gw-a'), open('gw-b')]);
    // Only replica A consumes the egress topic (it holds every partition).
    consumer = testGateway({ broker, store: a });
    await consumer.start();
    await broker.subscribe('statefun', [Topics.httpIn], (record) => {
      held.push({ key: record.key, request: HttpIngressMessageCodec.decode(record.value) });
    });
  });
  afterAll(async () => {
    await consumer.stop();
    await b.close();
    await broker.close();
    await redis.stop();
  });

  const replica = (store: RedisCorrelationStore) => {
    const app = express();
    app.use(httpIngressRoutes({ broker, store, pathPrefix: 'in' }));
    return app;
  };

  it('sent through B, answered on A: pending on both, then the same reply on both', async () => {
    const sent = await request(replica(b))
      .post('/in/example/greeter/Igal')
      .set('Content-Type', 'text/plain')
      .send('Igal');
    expect(sent.status).toBe(200);
    const id = String(sent.headers['statefun-request-correlation-id']);

    for (const store of [a, b]) {
      const pending = await request(replica(store)).get(`/in/replies/${id}`);
      expect({ status: pending.status, body: pending.body }).toEqual({
        status: 202,
        body: { correlation_id: id, status: 'pending' },
      });
    }

    // The paired egress's answer, as StateFun writes it to the egress topic.
    for (let i = 0; i < 100 && held.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const [message] = held.splice(0);
    expect(message!.key).toBe(id);
    expect({ ...message!.request.target }).toEqual({ namespace: 'example', type: 'greeter', id: 'Igal' });
    const answer = {
      typename: StringWrapperCodec.typename,
      value: StringWrapperCodec.encode({ value: 'Hello Igal' }),
    };
    await broker.publish(
      Topics.egress,
      id,
      ReplyCodec.encode({ correlation_id: id, result: { kind: 'message', value: answer } }),
    );

    for (const store of [a, b]) {
      let polled = await request(replica(store)).get(`/in/replies/${id}`);
      for (let i = 0; i < 100 && polled.status === 202; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        polled = await request(replica(store)).get(`/in/replies/${id}`);
      }
      expect({ status: polled.status, type: polled.headers['content-type'], text: polled.text }).toEqual({
        status: 200,
        type: 'text/plain; charset=utf-8',
        text: 'Hello Igal',
      });
    }
  });
});
