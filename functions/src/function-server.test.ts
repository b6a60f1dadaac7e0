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
import { createShopHandler } from './index';

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
