import request from 'supertest';
import { MemoryBroker } from '@shop/broker';
import { Topics } from '@shop/protos';
import { MemoryCorrelationStore } from './correlation/memory-correlation-store';
import { readGatewayConfig } from './config';
import { DOMAINS, parseDomains } from './domains';
import { testGateway } from './testing';

describe('gateway > domains', () => {
  it('SHOP_DOMAINS: all four by default, a listed subset in API order, and a clear error otherwise', () => {
    expect(parseDomains(undefined)).toEqual([...DOMAINS]);
    expect(parseDomains('')).toEqual([...DOMAINS]);
    expect(parseDomains(' orders, users ')).toEqual(['users', 'orders']);
    expect(() => parseDomains('users,carts')).toThrow(
      'SHOP_DOMAINS must be a comma-separated list of users, payments, stock, orders, got "users,carts"',
    );
    expect(() => parseDomains('users,')).toThrow(/SHOP_DOMAINS/);
    expect(readGatewayConfig({ SHOP_DOMAINS: 'stock' }).domains).toEqual(['stock']);
  });

  it('a process running one domain serves its routes and answers 404 for the others, sending nothing', async () => {
    const broker = new MemoryBroker();
    const store = new MemoryCorrelationStore(60_000);
    const sent: string[] = [];
    await broker.subscribe(
      'statefun',
      Object.values(Topics).filter((topic) => topic !== Topics.egress),
      (record) => {
        sent.push(record.topic);
      },
    );
    const gateway = testGateway({ broker, store, replyTimeoutMs: 50, domains: ['users'] });
    try {
      // Nothing answers in this test, so the users service parks the request and says so.
      const created = await request(gateway.app).post('/users/create');
      expect(created.status).toBe(202);
      const other = await request(gateway.app).post('/stock/item/create/5');
      expect(other.status).toBe(404);
      expect(other.body.code).toBe('SHOP_ERR_ROUTE_NOT_FOUND');
      await new Promise((resolve) => setImmediate(resolve));
      expect(sent).toEqual([Topics.users]);
      // Polling works on every process, whatever domains it runs.
      expect((await request(gateway.app).get(`/replies/${created.body.correlation_id}`)).status).toBe(202);
    } finally {
      await store.close();
      await broker.close();
    }
  });
});
