import type { AddressInfo } from 'node:net';
import {
  FromFunctionCodec,
  ReplyCodec,
  ToFunctionCodec,
  UserCommandCodec,
  KafkaProducerRecordCodec,
  Topics,
} from '@shop/protos';
import { createFunctionServer, listen } from '@shop/statefun';
import { RecentRequestsSpec } from './recent-requests';
import { UserStateSpec } from './user/user-function';
import pino from 'pino';
import { Registry, metricsHandler, registrySource } from '@shop/observability';
import { createShopHandler, functionObservers, reportFunctionEvents } from './index';

describe('functions > HTTP server', () => {
  const server = createFunctionServer(createShopHandler());
  let url = '';
  beforeAll(async () => {
    await listen(server, 0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/statefun`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the liveness and readiness probes on GET /healthz and GET /readyz', async () => {
    const base = url.replace(/\/statefun$/, '');
    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  const post = (body: Uint8Array) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });

  /** A `create` for user u1 from the gateway under correlation ID c-1, with the IDs u1 remembers. */
  const createUser = (recent?: string[]) =>
    ToFunctionCodec.encode({
      invocation: {
        target: { namespace: 'shop', type: 'user', id: 'u1' },
        state: [
          {
            state_name: UserStateSpec.name,
            state_value: { typename: UserStateSpec.type.typename, has_value: false, value: new Uint8Array() },
          },
          {
            state_name: RecentRequestsSpec.name,
            state_value: {
              typename: RecentRequestsSpec.type.typename,
              has_value: recent !== undefined,
              value: recent ? RecentRequestsSpec.type.encode(recent) : new Uint8Array(),
            },
          },
        ],
        invocations: [
          {
            argument: {
              typename: UserCommandCodec.typename,
              has_value: true,
              value: UserCommandCodec.encode({
                correlation_id: 'c-1',
                command: { kind: 'create', value: { credit: 3, reset: false } },
              }),
            },
          },
        ],
      },
    });

  const resultOf = async (request: Uint8Array) => {
    const response = await post(request);
    expect(response.status).toBe(200);
    return FromFunctionCodec.decode(new Uint8Array(await response.arrayBuffer())).invocation_result!;
  };

  it('answers a ToFunction for shop/user with a reply on the egress topic', async () => {
    const result = await resultOf(createUser());
    expect(result.state_mutations.map((m) => m.state_name).sort()).toEqual(['recent', 'user']);
    const record = KafkaProducerRecordCodec.decode(result.outgoing_egresses[0]!.argument.value);
    expect(record.topic).toBe(Topics.egress);
    expect(record.key).toBe('c-1');
    expect(ReplyCodec.decode(record.value_bytes).result).toEqual({
      kind: 'user_created',
      value: expect.objectContaining({ user_id: 'u1' }),
    });
  });

  it('drops a request whose correlation ID the entity already took: no effect, no second reply', async () => {
    const result = await resultOf(createUser(['c-0', 'c-1']));
    expect(result.state_mutations).toEqual([]);
    expect(result.outgoing_egresses).toEqual([]);
    expect(result.outgoing_messages).toEqual([]);
  });

  it('answers 404 for a function type it does not serve, and 500 for bytes that are no ToFunction', async () => {
    const unknown = ToFunctionCodec.encode({
      invocation: { target: { namespace: 'shop', type: 'nope', id: '1' }, state: [], invocations: [] },
    });
    expect((await post(unknown)).status).toBe(404);
    expect((await post(Uint8Array.from([0xff, 0xff, 0xff]))).status).toBe(500);
  });
});

describe('functions > HTTP server > metrics', () => {
  it('serves GET /metrics beside the endpoint, counting batches, messages and state handshakes', async () => {
    const registry = new Registry();
    const handler = createShopHandler({ observers: functionObservers(registry, pino({ level: 'silent' })) });
    const server = createFunctionServer(handler, undefined, metricsHandler(registrySource(registry)));
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const target = { namespace: 'shop', type: 'user', id: 'u2' };
      const command = {
        typename: UserCommandCodec.typename,
        has_value: true,
        value: UserCommandCodec.encode({ correlation_id: 'c-9', command: { kind: 'find', value: {} } }),
      };
      // Without its state the batch is answered "state missing"; with it, both messages are handled.
      const withoutState = ToFunctionCodec.encode({
        invocation: { target, state: [], invocations: [{ argument: command }] },
      });
      const missing = (v: boolean) => ({ typename: 'x', has_value: v, value: new Uint8Array() });
      const withState = ToFunctionCodec.encode({
        invocation: {
          target,
          state: [
            { state_name: UserStateSpec.name, state_value: missing(false) },
            { state_name: RecentRequestsSpec.name, state_value: missing(false) },
          ],
          invocations: [{ argument: command }, { argument: command }],
        },
      });
      for (const body of [withoutState, withState]) {
        const res = await fetch(`http://127.0.0.1:${port}/statefun`, { method: 'POST', body });
        expect(res.status).toBe(200);
      }
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^shop_function_state_handshakes_total\{function_type="shop\/user"\} 1$/m);
      expect(text).toMatch(/^shop_function_invocations_total\{function_type="shop\/user"\} 2$/m);
      expect(text).toMatch(/^shop_function_batch_size_sum\{function_type="shop\/user"\} 2$/m);
      expect(text).toMatch(/^shop_function_handler_duration_seconds_count\{function_type="shop\/user"\} 1$/m);
      expect(text).toMatch(/^shop_checkout_outcomes_total\{result="paid"\} 0$/m);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // The functions report process-wide: back to nobody, for the tests that follow in this process.
      reportFunctionEvents({ refused: () => undefined, checkoutEnded: () => undefined });
    }
  });
});
