import { EventEmitter } from 'node:events';
import { answerWorkerScrapes, primarySource, type PrimaryChannel } from './worker-scrapes';

/** A worker and its primary joined by an in-memory channel, as cluster IPC joins them. */
function linked(answer: ReturnType<typeof answerWorkerScrapes>): PrimaryChannel {
  const toWorker = new EventEmitter();
  const worker = { send: (message: unknown) => setImmediate(() => toWorker.emit('message', message)) };
  return {
    send: (message) => setImmediate(() => answer(worker, message)),
    on: (event, listener) => toWorker.on(event, listener),
    off: (event, listener) => toWorker.off(event, listener),
  };
}

describe('observability > scrapes through the cluster primary', () => {
  test("a worker serves what the primary's source answers, each scrape with its own answer", async () => {
    let scrapes = 0;
    const channel = linked(
      answerWorkerScrapes(async () => ({ contentType: 'text/plain', body: `scrape ${++scrapes}` })),
    );
    const source = primarySource(channel);
    const bodies = (await Promise.all([source(), source(), source()])).map((r) => r.body).sort();
    expect(bodies).toEqual(['scrape 1', 'scrape 2', 'scrape 3']);
  });

  test("the primary's error reaches the worker's scrape", async () => {
    const channel = linked(answerWorkerScrapes(() => Promise.reject(new Error('worker 3 did not answer'))));
    await expect(primarySource(channel)()).rejects.toThrow('worker 3 did not answer');
  });

  test('a primary that never answers fails the scrape after the timeout, and the listener is removed', async () => {
    const toWorker = new EventEmitter();
    const channel: PrimaryChannel = {
      send: () => undefined,
      on: (event, listener) => toWorker.on(event, listener),
      off: (event, listener) => toWorker.off(event, listener),
    };
    await expect(primarySource(channel, 50)()).rejects.toThrow('did not answer within 50 ms');
    expect(toWorker.listenerCount('message')).toBe(0);
  });

  test("other messages (prom-client's own, a stray reply) are ignored by both sides", async () => {
    const sent: unknown[] = [];
    const answer = answerWorkerScrapes(async () => ({ contentType: 'text/plain', body: 'x' }));
    answer({ send: (m) => sent.push(m) }, { type: 'prom-client:getMetricsReq', requestId: 1 });
    answer({ send: (m) => sent.push(m) }, 'hello');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
  });
});
