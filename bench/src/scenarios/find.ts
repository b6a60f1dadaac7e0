import type { Answer, HttpTarget } from '../http-target';
import { runEach, runTimed, type PhaseResult, type RequestSpec } from '../load';
import type { Progress } from '../progress';

/** Items `find` reads at random: enough that it is not one hot address, few enough to set up in a blink. */
const FIND_ITEMS = 100;

export interface TimedOptions {
  concurrency: number;
  warmupS: number;
  durationS: number;
  progress: Progress;
  /** Told when the measured part of the timed phase begins and ends. */
  onMeasure?: (event: 'start' | 'end') => void;
  /** Given every answer of the measured part. */
  onAnswer?: (spec: RequestSpec, answer: Answer) => void;
}

/** `GET /stock/find/{id}` on random ids of `ids`, at fixed concurrency: the hot read path. */
export function findLoad(
  http: HttpTarget,
  target: string,
  scenario: string,
  ids: readonly string[],
  options: TimedOptions,
): Promise<PhaseResult> {
  const request = (id: string): RequestSpec => ({
    endpoint: 'GET /stock/find',
    method: 'GET',
    path: `/stock/find/${id}`,
  });
  return runTimed(http, {
    scenario,
    target,
    ...options,
    next: () => request(ids[Math.floor(Math.random() * ids.length)] as string),
  });
}

/** Creates the items through the API, then reads them at random for the duration. */
export async function runFind(http: HttpTarget, options: TimedOptions): Promise<PhaseResult> {
  const created = await runEach(
    http,
    Array.from({ length: FIND_ITEMS }, (_, i) => i),
    options.concurrency,
    () => ({ endpoint: 'POST /stock/item/create', method: 'POST', path: '/stock/item/create/1' }),
    { label: 'find: items', progress: options.progress },
  );
  const ids = created.map((answer) => {
    if (answer.status !== 201)
      throw new Error(`POST /stock/item/create answered ${answer.status}: ${answer.body}`);
    return (JSON.parse(answer.body) as { item_id: string }).item_id;
  });
  return findLoad(http, 'shop', 'find', ids, options);
}
