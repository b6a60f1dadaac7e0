import { ToFunctionCodec, type Address, type EgressMessage } from '@shop/protos';
import { MemoryBroker, type BrokerRecord } from '@shop/broker';
import {
  Types,
  createRequestReplyHandler,
  statefulFunction,
  valueSpec,
  type StatefulFunction,
} from '@shop/statefun';
import { Dispatcher, type FunctionCaller } from './dispatcher';
import { EmbeddedRuntime } from './embedded-runtime';
import { parseModule } from './module-config';

const counter = valueSpec('count', Types.long);
const seen = valueSpec('seen', Types.json<string[]>('test.types/Seen'));
const addr = (type: string, id: string): Address => ({ namespace: 'test', type, id });
const str = (value: string) => ({
  typename: Types.string.typename,
  has_value: true,
  value: Types.string.encode(value),
});

/** Records every message a test function sees, in order, with its caller. */
function recorder(type: string, extra: Partial<StatefulFunction> = {}): StatefulFunction & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    ...statefulFunction({
      typename: `test/${type}`,
      specs: [counter, seen],
      handle(ctx, message) {
        const text = message.as(Types.string);
        const count = (ctx.state.get(counter) ?? 0) + 1;
        ctx.state.set(counter, count);
        ctx.state.set(seen, [...(ctx.state.get(seen) ?? []), text]);
        log.push(`${ctx.self.id}:${text}:${count}:${ctx.caller ? ctx.caller.id : '-'}`);
      },
    }),
    ...extra,
  };
}

interface Harness {
  dispatcher: Dispatcher;
  requests: { typename: string; batch: string[]; states: string[] }[];
  egresses: EgressMessage[];
}

function harness(
  functions: StatefulFunction[],
  wrap: (call: FunctionCaller) => FunctionCaller = (c) => c,
): Harness {
  const handler = createRequestReplyHandler(functions);
  const requests: Harness['requests'] = [];
  const egresses: EgressMessage[] = [];
  const call: FunctionCaller = (typename, bytes) => {
    const batch = ToFunctionCodec.decode(bytes).invocation;
    requests.push({
      typename,
      batch: batch.invocations.map((i) => Types.string.decode(i.argument.value)),
      states: batch.state.map((s) => s.state_name),
    });
    return handler(bytes);
  };
  const dispatcher = new Dispatcher({
    call: wrap(call),
    egress: (e) => egresses.push(e),
    maxBatch: () => 100,
  });
  return { dispatcher, requests, egresses };
}

describe('runtime > dispatcher', () => {
  it('answers the missing-state handshake, then sends every later batch with the registered state', async () => {
    const fn = recorder('a');
    const { dispatcher, requests } = harness([fn]);
    dispatcher.send(addr('a', 'x'), str('one'));
    await dispatcher.idle();
    dispatcher.send(addr('a', 'x'), str('two'));
    await dispatcher.idle();

    expect(requests.map((r) => r.states)).toEqual([[], ['count', 'seen'], ['count', 'seen']]);
    expect(fn.log).toEqual(['x:one:1:-', 'x:two:2:-']);
    expect(Types.long.decode(dispatcher.stateOf(addr('a', 'x')).get('count')!.value)).toBe(2);
  });

  it('keeps one request in flight per address and batches what arrives meanwhile, in order', async () => {
    const fn = recorder('a');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const { dispatcher, requests } = harness([fn], (call) => async (typename, bytes) => {
      if (first) {
        first = false;
        await gate;
      }
      return call(typename, bytes);
    });
    dispatcher.send(addr('a', 'x'), str('m1'));
    for (const m of ['m2', 'm3', 'm4']) dispatcher.send(addr('a', 'x'), str(m));
    dispatcher.send(addr('a', 'y'), str('other'));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await dispatcher.idle();

    const forX = requests.filter((r) => r.batch.some((m) => m.startsWith('m')));
    // The first request, its handshake retry, then one batch with everything that queued behind it.
    expect(forX.map((r) => r.batch)).toEqual([['m1'], ['m1'], ['m2', 'm3', 'm4']]);
    expect(fn.log.filter((l) => l.startsWith('x:'))).toEqual([
      'x:m1:1:-',
      'x:m2:2:-',
      'x:m3:3:-',
      'x:m4:4:-',
    ]);
    expect(fn.log).toContain('y:other:1:-');
  });

  it('delivers function-to-function messages with the sender as caller', async () => {
    const b = recorder('b');
    const a = statefulFunction({
      typename: 'test/a',
      specs: [],
      handle(ctx, message) {
        ctx.send(addr('b', 'target'), Types.string, `fwd-${message.as(Types.string)}`);
      },
    });
    const { dispatcher } = harness([a, b]);
    dispatcher.send(addr('a', 'src'), str('hello'));
    await dispatcher.idle();
    expect(b.log).toEqual(['target:fwd-hello:1:src']);
  });

  it('delivers delayed messages after their delay and drops cancelled ones', async () => {
    const b = recorder('b');
    const a = statefulFunction({
      typename: 'test/a',
      specs: [],
      handle(ctx, message) {
        const text = message.as(Types.string);
        ctx.sendAfter(30, addr('b', 'later'), Types.string, `${text}-kept`, `${text}-1`);
        ctx.sendAfter(30, addr('b', 'later'), Types.string, `${text}-cancelled`, `${text}-2`);
        ctx.cancelDelayed(`${text}-2`);
      },
    });
    const { dispatcher } = harness([a, b]);
    dispatcher.send(addr('a', 'src'), str('d'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(b.log).toEqual([]);
    await dispatcher.idle();
    expect(b.log).toEqual(['later:d-kept:1:src']);
  });

  it('forgets state that expired after write', async () => {
    let now = 1000;
    const ttl = valueSpec('ttl', Types.long, { mode: 'after-write', afterMillis: 100 });
    const reads: (number | undefined)[] = [];
    const fn = statefulFunction({
      typename: 'test/t',
      specs: [ttl],
      handle(ctx) {
        reads.push(ctx.state.get(ttl));
        ctx.state.set(ttl, 7);
      },
    });
    const handler = createRequestReplyHandler([fn]);
    const dispatcher = new Dispatcher({
      call: (_t, b) => handler(b),
      egress: () => undefined,
      maxBatch: () => 10,
      now: () => now,
    });
    dispatcher.send(addr('t', '1'), str('a'));
    await dispatcher.idle();
    now += 50;
    dispatcher.send(addr('t', '1'), str('b'));
    await dispatcher.idle();
    now += 150;
    dispatcher.send(addr('t', '1'), str('c'));
    await dispatcher.idle();
    expect(reads).toEqual([undefined, 7, undefined]);
  });

  it('retries a failed call with the same batch, so the message takes effect exactly once', async () => {
    const fn = recorder('a');
    let failures = 2;
    const errors: number[] = [];
    const handler = createRequestReplyHandler([fn]);
    const dispatcher = new Dispatcher({
      call: (_t, bytes) =>
        failures-- > 0 ? Promise.reject(new Error('connection refused')) : handler(bytes),
      egress: () => undefined,
      maxBatch: () => 10,
      onCallError: (_e, _t, attempt) => errors.push(attempt),
    });
    dispatcher.send(addr('a', 'x'), str('once'));
    await dispatcher.idle();
    expect(errors).toEqual([1, 2]);
    expect(fn.log).toEqual(['x:once:1:-']);
  });
});

describe('runtime > embedded runtime', () => {
  it('routes ingress records by topic and key, and writes Kafka egress records to their topic', async () => {
    const module = parseModule(`
kind: io.statefun.endpoints.v2/http
spec: { functions: test/*, urlPathTemplate: http://unused/ }
---
kind: io.statefun.kafka.v1/ingress
spec: { id: test/in, address: x, topics: [{ topic: in, valueType: io.statefun.types/string, targets: [test/echo] }] }
---
kind: io.statefun.kafka.v1/egress
spec: { id: test/out, address: x }
`);
    const echo = statefulFunction({
      typename: 'test/echo',
      specs: [],
      handle(ctx, message) {
        const value = Types.string.encode(`${ctx.self.id}:${message.as(Types.string)}`);
        ctx.kafkaEgress({ namespace: 'test', type: 'out' }, { topic: 'out', key: ctx.self.id, value });
      },
    });
    const handler = createRequestReplyHandler([echo]);
    const broker = new MemoryBroker();
    const runtime = new EmbeddedRuntime({ module, broker, call: (_t, b) => handler(b) });
    const received: BrokerRecord[] = [];
    await broker.subscribe('reader', ['out'], (record) => {
      received.push(record);
    });
    await runtime.start();
    await broker.publish('in', 'k1', Types.string.encode('hi'));
    await broker.publish('in', 'k2', Types.string.encode('there'));
    await new Promise((resolve) => setImmediate(resolve));
    await runtime.dispatcher.idle();
    await new Promise((resolve) => setImmediate(resolve));
    await runtime.stop();

    expect(received.map((r) => [r.key, Types.string.decode(r.value)])).toEqual([
      ['k1', 'k1:hi'],
      ['k2', 'k2:there'],
    ]);
  });
});
