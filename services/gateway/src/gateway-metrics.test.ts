import { MemoryBroker } from '@shop/broker';
import { Registry } from '@shop/observability';
import { MemoryCorrelationStore } from './correlation/memory-correlation-store';
import { gatewayMetrics, timedBroker, timedStore } from './gateway-metrics';

async function count(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const text = await registry.metrics();
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${wanted}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('gateway > metrics of the transport', () => {
  it('times each correlation-store call by operation, failed ones too', async () => {
    const registry = new Registry();
    const store = timedStore(new MemoryCorrelationStore(60_000), gatewayMetrics(registry));
    const parked = await store.park('a', 1_000, 'GET /x');
    await parked?.sent();
    await store.deliver('a', new Uint8Array([1]));
    await store.poll('a');
    await store.poll('b');
    const name = 'shop_correlation_store_duration_seconds_count';
    expect(await count(registry, name, { operation: 'park' })).toBe(1);
    expect(await count(registry, name, { operation: 'sent' })).toBe(1);
    expect(await count(registry, name, { operation: 'deliver' })).toBe(1);
    expect(await count(registry, name, { operation: 'poll' })).toBe(2);
    expect(await count(registry, name, { operation: 'request_of' })).toBe(0);
  });

  it('times each publish by topic', async () => {
    const registry = new Registry();
    const broker = timedBroker(new MemoryBroker(), gatewayMetrics(registry));
    await broker.publish('shop-users', 'k', new Uint8Array());
    await broker.publish('shop-users', 'k', new Uint8Array());
    await broker.publish('shop-stock', 'k', new Uint8Array());
    const name = 'shop_broker_publish_duration_seconds_count';
    expect(await count(registry, name, { topic: 'shop-users' })).toBe(2);
    expect(await count(registry, name, { topic: 'shop-stock' })).toBe(1);
  });
});
