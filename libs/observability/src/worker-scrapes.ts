import { randomUUID } from 'node:crypto';
import type { MetricsSource } from './metrics-server';

// A Node cluster whose workers share the port that serves /metrics (the functions: StateFun's endpoint
// and /metrics on one port) cannot have the primary answer the scrape: the kernel hands the connection to
// any worker. So the worker that gets it asks the primary, which adds up every worker's registry
// (clusterSource) and sends the text back. One scrape target still shows the whole cluster.

const REQUEST = 'shop:metrics-scrape';
const RESULT = 'shop:metrics-scrape-result';

interface ScrapeRequest {
  type: typeof REQUEST;
  id: string;
}
type ScrapeResult =
  | { type: typeof RESULT; id: string; contentType: string; body: string }
  | { type: typeof RESULT; id: string; error: string };

/** What a worker sees of its IPC channel to the primary (`process`, in a cluster worker). */
export interface PrimaryChannel {
  send(message: ScrapeRequest): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  off(event: 'message', listener: (message: unknown) => void): void;
}

/** What the primary sees of one worker (`cluster.Worker`). */
export interface WorkerChannel {
  send(message: ScrapeResult): void;
}

/** The primary's side: each worker's scrape request gets `source`'s answer (or its error). */
export function answerWorkerScrapes(
  source: MetricsSource,
): (worker: WorkerChannel, message: unknown) => void {
  return (worker, message) => {
    if (!isMessage(message, REQUEST)) return;
    const { id } = message;
    source().then(
      ({ contentType, body }) => worker.send({ type: RESULT, id, contentType, body }),
      (error: unknown) => worker.send({ type: RESULT, id, error: String(error) }),
    );
  };
}

/** The worker's side: a MetricsSource that asks the primary, failing after `timeoutMs`. */
export function primarySource(channel: PrimaryChannel, timeoutMs = 5000): MetricsSource {
  return () =>
    new Promise((resolve, reject) => {
      const id = randomUUID();
      const done = () => {
        clearTimeout(timer);
        channel.off('message', listener);
      };
      const listener = (message: unknown) => {
        if (!isMessage(message, RESULT) || message.id !== id) return;
        done();
        const result = message as ScrapeResult;
        if ('error' in result) reject(new Error(result.error));
        else resolve({ contentType: result.contentType, body: result.body });
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the cluster primary did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      channel.on('message', listener);
      channel.send({ type: REQUEST, id });
    });
}

function isMessage<T extends string>(message: unknown, type: T): message is { type: T; id: string } {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; id?: unknown };
  return m.type === type && typeof m.id === 'string';
}
