import { MemoryBroker } from '@shop/broker';
import { createGateway, type Gateway, type GatewayOptions } from './app';
import { MemoryCorrelationStore } from './correlation/memory-correlation-store';

/**
 * A gateway for tests: an in-memory broker and store unless given, a 1 s reply timeout, mode `test`.
 * Only the options a test is about need naming. (Test support: left out of the build.)
 */
export function testGateway(options: Partial<GatewayOptions> = {}): Gateway {
  return createGateway({
    broker: new MemoryBroker(),
    store: new MemoryCorrelationStore(60_000),
    replyTimeoutMs: 1_000,
    mode: 'test',
    version: '0',
    ...options,
  });
}
