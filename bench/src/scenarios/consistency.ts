import { performance } from 'node:perf_hooks';
import { HttpTarget, type Answer } from '../http-target';
import { Collector, round, runEach, type PhaseResult } from '../load';
import type { Progress } from '../progress';
import { verifyConsistency, type CheckoutLogEntry, type ConsistencySetup, type Verdict } from '../verifier';

/** The WDM consistency test: one item, stock 100 at price 1; 1000 users with credit 1, one order each. */
export interface ConsistencySize extends ConsistencySetup {
  users: number;
}

export const WDM_CONSISTENCY: ConsistencySize = {
  initialStock: 100,
  price: 1,
  creditPerUser: 1,
  users: 1000,
};

export interface ConsistencyResult {
  size: ConsistencySize;
  /** Setup, checkouts and verification together, and each on its own. */
  seconds: number;
  setupSeconds: number;
  checkoutSeconds: number;
  verifySeconds: number;
  verdict: Verdict;
  /** The checkouts, fired all at once: their latencies and statuses. */
  phase: PhaseResult;
  /** The client's log: each checkout's final answer. */
  log: CheckoutLogEntry[];
}

interface Created {
  user_id?: string;
  item_id?: string;
  order_id?: string;
}

function parse<T>(what: string, answer: Answer, expected: number): T {
  if (answer.status !== expected) {
    throw new Error(`${what} answered ${answer.status} (expected ${expected}): ${answer.body.slice(0, 200)}`);
  }
  return JSON.parse(answer.body) as T;
}

function ids(what: string, answers: readonly Answer[], field: keyof Created): string[] {
  return answers.map((answer) => {
    const id = parse<Created>(what, answer, 201)[field];
    if (typeof id !== 'string') throw new Error(`${what} answered without ${field}`);
    return id;
  });
}

function expectAll(what: string, answers: readonly Answer[], expected = 200): void {
  for (const answer of answers) parse(what, answer, expected);
}

/**
 * Sets up the WDM consistency test through the API, fires every checkout at once, then reads the
 * item, every user and every order back and checks them against the answers the client got.
 */
export async function runConsistency(
  url: string,
  options: { concurrency: number; progress: Progress; size?: ConsistencySize },
): Promise<ConsistencyResult> {
  const size = options.size ?? WDM_CONSISTENCY;
  const { concurrency, progress } = options;
  const start = performance.now();
  const http = new HttpTarget(url, concurrency);
  const burst = new HttpTarget(url, size.users);
  try {
    // Setup: the item, then the users and their credit, then one one-item order each.
    const item = parse<Created>(
      'POST /stock/item/create',
      await http.call('POST', `/stock/item/create/${size.price}`),
      201,
    ).item_id;
    if (!item) throw new Error('POST /stock/item/create answered without item_id');
    parse('POST /stock/add', await http.call('POST', `/stock/add/${item}/${size.initialStock}`), 200);
    const each = <T>(
      label: string,
      items: readonly T[],
      request: (item: T) => { method: 'POST'; path: string },
    ) => runEach(http, items, concurrency, (x) => ({ endpoint: label, ...request(x) }), { label, progress });
    const slots = Array.from({ length: size.users }, (_, i) => i);
    const users = ids(
      'POST /users/create',
      await each('consistency: users', slots, () => ({ method: 'POST', path: '/users/create' })),
      'user_id',
    );
    expectAll(
      'POST /payment/add_funds',
      await each('consistency: credit', users, (user) => ({
        method: 'POST',
        path: `/payment/add_funds/${user}/${size.creditPerUser}`,
      })),
    );
    const orders = ids(
      'POST /orders/create',
      await each('consistency: orders', users, (user) => ({
        method: 'POST',
        path: `/orders/create/${user}`,
      })),
      'order_id',
    );
    expectAll(
      'POST /orders/addItem',
      await each('consistency: order lines', orders, (order) => ({
        method: 'POST',
        path: `/orders/addItem/${order}/${item}/1`,
      })),
    );
    // One keep-alive connection per buyer, open before the clock starts: the checkouts measure the shop,
    // not a thousand TCP handshakes overflowing the server's accept queue.
    const opened = await runEach(
      burst,
      orders,
      orders.length,
      () => ({ endpoint: 'GET /healthz', method: 'GET', path: '/healthz' }),
      { label: 'consistency: connections', progress },
    );
    expectAll('GET /healthz', opened);
    const setupDone = performance.now();

    // Every checkout at once, each on a connection of its own.
    const collector = new Collector();
    const answers = await runEach(
      burst,
      orders,
      orders.length,
      (order) => ({ endpoint: 'POST /orders/checkout', method: 'POST', path: `/orders/checkout/${order}` }),
      { label: 'consistency: checkouts', progress, collector },
    );
    collector.end();
    const phase = collector.result('consistency', 'shop', orders.length);
    const log = orders.map((order_id, i) => ({ order_id, status: answers[i]?.status ?? 0 }));
    const checkoutsDone = performance.now();

    // Read back what the shop says.
    const stock = parse<{ stock: number }>(
      'GET /stock/find',
      await http.call('GET', `/stock/find/${item}`),
      200,
    ).stock;
    const readUsers = await runEach(
      http,
      users,
      concurrency,
      (user) => ({ endpoint: 'GET /users/find', method: 'GET', path: `/users/find/${user}` }),
      { label: 'consistency: read users', progress },
    );
    const readOrders = await runEach(
      http,
      orders,
      concurrency,
      (order) => ({ endpoint: 'GET /orders/find', method: 'GET', path: `/orders/find/${order}` }),
      { label: 'consistency: read orders', progress },
    );
    const verdict = verifyConsistency(
      size,
      {
        stockAfter: stock,
        users: readUsers.map((answer) =>
          parse<{ user_id: string; credit: number }>('GET /users/find', answer, 200),
        ),
        orders: readOrders.map((answer) => {
          const order = parse<{
            order_id: string;
            user_id: string;
            paid: boolean;
            items: [string, number][];
          }>('GET /orders/find', answer, 200);
          const quantity = order.items.reduce((total, [, n]) => total + n, 0);
          return { order_id: order.order_id, user_id: order.user_id, paid: order.paid, quantity };
        }),
      },
      log,
    );
    const end = performance.now();
    const seconds = (from: number, to: number) => round((to - from) / 1000, 3);
    return {
      size,
      seconds: seconds(start, end),
      setupSeconds: seconds(start, setupDone),
      checkoutSeconds: seconds(setupDone, checkoutsDone),
      verifySeconds: seconds(checkoutsDone, end),
      verdict,
      phase,
      log,
    };
  } finally {
    await Promise.all([http.close(), burst.close()]);
  }
}
