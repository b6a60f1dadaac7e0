import { performance } from 'node:perf_hooks';
import type { HttpTarget, Method } from '../http-target';
import { round, runTimed, type PhaseResult, type RequestSpec } from '../load';
import type { TimedOptions } from './find';

/** The data set batch_init creates (the WDM stress test's): plenty of money and stock, so checkouts can pay. */
export const STRESS_DATA = { startingMoney: 100_000, startingStock: 1_000_000, itemPrice: 1 };

/** The request mix, by weight: checkouts of random orders, and finds of random orders, items and users. */
export const STRESS_MIX: readonly {
  weight: number;
  endpoint: string;
  method: Method;
  path: (id: number) => string;
}[] = [
  { weight: 25, endpoint: 'POST /orders/checkout', method: 'POST', path: (id) => `/orders/checkout/${id}` },
  { weight: 25, endpoint: 'GET /orders/find', method: 'GET', path: (id) => `/orders/find/${id}` },
  { weight: 25, endpoint: 'GET /stock/find', method: 'GET', path: (id) => `/stock/find/${id}` },
  { weight: 25, endpoint: 'GET /payment/find_user', method: 'GET', path: (id) => `/payment/find_user/${id}` },
];

export interface StressResult {
  size: number;
  /** How long each batch_init took. */
  initSeconds: { users: number; items: number; orders: number };
  phase: PhaseResult;
}

async function batchInit(http: HttpTarget, path: string): Promise<number> {
  const start = performance.now();
  const answer = await http.call('POST', path);
  if (answer.status !== 200)
    throw new Error(`POST ${path} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return round((performance.now() - start) / 1000, 3);
}

/** A request drawn from the mix, on a uniformly random id in `0 … size − 1`. */
export function stressRequest(size: number, random: () => number = Math.random): RequestSpec {
  const total = STRESS_MIX.reduce((sum, entry) => sum + entry.weight, 0);
  let pick = random() * total;
  const id = Math.floor(random() * size);
  for (const [i, entry] of STRESS_MIX.entries()) {
    pick -= entry.weight;
    if (pick < 0 || i === STRESS_MIX.length - 1) {
      return { endpoint: entry.endpoint, method: entry.method, path: entry.path(id) };
    }
  }
  throw new Error('the stress mix is empty');
}

/**
 * batch_init of `size` users, items and orders (ids "0" … size − 1, overwriting whatever had them),
 * then the mix for the duration. `scenario` names the phase (`stress`, or `soak` for a soak).
 */
export async function runStress(
  http: HttpTarget,
  size: number,
  options: TimedOptions,
  scenario = 'stress',
): Promise<StressResult> {
  const { progress } = options;
  const { startingMoney, startingStock, itemPrice } = STRESS_DATA;
  progress.log(`${scenario}: batch_init of ${size} users, items and orders`);
  const users = await batchInit(http, `/payment/batch_init/${size}/${startingMoney}`);
  const items = await batchInit(http, `/stock/batch_init/${size}/${startingStock}/${itemPrice}`);
  const orders = await batchInit(http, `/orders/batch_init/${size}/${size}/${size}/${itemPrice}`);
  progress.log(`${scenario}: batch_init took ${users} s (users), ${items} s (items), ${orders} s (orders)`);
  const phase = await runTimed(http, {
    scenario,
    target: 'shop',
    ...options,
    next: () => stressRequest(size),
  });
  return { size, initSeconds: { users, items, orders }, phase };
}
