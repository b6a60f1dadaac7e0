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

  const post = (body: Uint8Array) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body });

  it('answers a ToFunction for shop/user with a reply on the egress topic', async () => {
    const command = UserCommandCodec.encode({
      correlation_id: 'c-1',
      command: { kind: 'create', value: { credit: 3, reset: false } },
    });
    const request = ToFunctionCodec.encode({
      invocation: {
        target: { namespace: 'shop', type: 'user', id: 'u1' },
        state: [
          {
            state_name: UserStateSpec.name,
            state_value: { typename: UserStateSpec.type.typename, has_value: false, value: new Uint8Array() },
          },
        ],
        invocations: [{ argument: { typename: UserCommandCodec.typename, has_value: true, value: command } }],
      },
    });
    const response = await post(request);
    expect(response.status).toBe(200);
    const result = FromFunctionCodec.decode(new Uint8Array(await response.arrayBuffer())).invocation_result!;
    expect(result.state_mutations.map((m) => m.state_name)).toEqual(['user']);
    const record = KafkaProducerRecordCodec.decode(result.outgoing_egresses[0]!.argument.value);
    expect(record.topic).toBe(Topics.egress);
    expect(record.key).toBe('c-1');
    expect(ReplyCodec.decode(record.value_bytes).result).toEqual({
      kind: 'user_created',
      value: expect.objectContaining({ user_id: 'u1' }),
    });
  });

  it('answers 404 for a function type it does not serve, and 500 for bytes that are no ToFunction', async () => {
    const unknown = ToFunctionCodec.encode({
      invocation: { target: { namespace: 'shop', type: 'nope', id: '1' }, state: [], invocations: [] },
    });
    expect((await post(unknown)).status).toBe(404);
    expect((await post(Uint8Array.from([0xff, 0xff, 0xff]))).status).toBe(500);
  });
});
