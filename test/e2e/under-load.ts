import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Agent } from 'node:http';
import path from 'node:path';
import {
  ShopClient,
  mapLimit,
  range,
  raw,
  sleep,
  sum,
  toAnswer,
  type Answer,
  type Method,
} from '../api/helpers';

// What the tests that disturb the real stack share (faults, rescaling): a burst of concurrent writes that
// a careful client drives to a final answer, and the checks that each effect happened exactly once.

export const repo = path.resolve(__dirname, '../..');
const runDir = path.join(process.env.STACK_DIR ?? path.join(repo, '.stack'), 'run');

export const pidOf = (name: string): number =>
  Number(fs.readFileSync(path.join(runDir, `${name}.pid`), 'utf8').trim());

/**
 * Runs a stack/bin script to its end and returns its output; its errors go to the test's output, or with
 * `stderr: 'pipe'` into the thrown error's `stderr`.
 */
export function script(
  name: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  stderr: 'inherit' | 'pipe' = 'inherit',
): string {
  return execFileSync('bash', [path.join(repo, 'stack/bin', name), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', stderr],
  });
}

/** The Node cluster workers under a stack process's primary (the gateway's replicas, the functions servers). */
export function childrenOf(name: string): number[] {
  const out = execFileSync('pgrep', ['-P', String(pidOf(name))], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}

/** A recovery takes tens of seconds: poll a late reply for up to three minutes. */
export const RECOVERY_POLL_MS = 180_000;

/** A request whose connection broke: the gateway replica that held it is gone. */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ECONNRESET' ||
    code === 'ECONNREFUSED' ||
    code === 'EPIPE' ||
    /socket hang up/.test(String(error))
  );
}

export function shopUrl(): string {
  const url = process.env.SHOP_URL;
  if (!url) throw new Error('these tests need the real stack: run them with `npm run test:e2e`');
  return url;
}

/** What one burst left behind, as the shop must show it from then on. */
export interface Expected {
  item: string;
  stock: number;
  credits: Map<string, number>;
  paid: Map<string, boolean>;
}

/** How the requests of one burst got their answers, for asserting that a fault hit them. */
export interface Paths {
  direct: number;
  polled: number;
  disconnected: number;
  recovered: number;
  resent: number;
}

export interface LoadHarness {
  api: ShopClient;
  connections: Agent;
  paths: Paths;
  underLoad(fault: () => Promise<void>): Promise<Expected>;
  readBack(expected: Expected): Promise<void>;
  close(): void;
}

export function loadHarness(url: string): LoadHarness {
  const api = new ShopClient(url);
  const connections = new Agent({ keepAlive: true });
  const paths: Paths = { direct: 0, polled: 0, disconnected: 0, recovered: 0, resent: 0 };

  /** Sends once under `id`; undefined when the connection broke (its replica died). */
  async function send(method: Method, route: string, id: string): Promise<Answer | undefined> {
    try {
      return toAnswer(await raw(url, method, route, connections, { 'X-Correlation-ID': id }));
    } catch (error) {
      if (!isConnectionLoss(error)) throw error;
      paths.disconnected++;
      return undefined;
    }
  }

  /**
   * The final answer to one request, as a careful client gets it: sent under its own correlation ID,
   * so that a 202 or a broken connection is followed by polling that ID, and a request the gateway
   * calls lost (its replica died before sending it: no effect) or never knew is sent again.
   */
  async function finalAnswer(method: Method, route: string): Promise<Answer> {
    const id = randomUUID();
    const first = await send(method, route, id);
    const disconnected = first === undefined;
    if (first && first.status !== 202) {
      paths.direct++;
      return first;
    }
    const deadline = Date.now() + RECOVERY_POLL_MS;
    while (Date.now() < deadline) {
      let polled: Answer;
      try {
        polled = toAnswer(await raw(url, 'get', `/replies/${id}`, connections));
      } catch (error) {
        if (!isConnectionLoss(error)) throw error;
        continue;
      }
      if (polled.status === 410 || polled.status === 404) {
        paths.resent++;
        const again = await send(method, route, id);
        // In use again: the first attempt's reply came meanwhile, and the next poll reads it.
        const inUse = again?.status === 409 && again.body.code === 'SHOP_ERR_CORRELATION_ID_IN_USE';
        if (again && again.status !== 202 && !inUse) return again;
      } else if (polled.status !== 202) {
        paths.polled++;
        if (disconnected) paths.recovered++;
        return polled;
      }
      await sleep(250);
    }
    throw new Error(`${method} ${route}: no final answer for ${id} within ${RECOVERY_POLL_MS} ms`);
  }

  /** Every user, the item and every order read back: each must equal what the burst left. */
  async function readBack(expected: Expected): Promise<void> {
    const users = [...expected.credits.keys()];
    const orders = [...expected.paid.keys()];
    const credits = await mapLimit(users, 50, (user) => api.credit(user));
    users.forEach((user, i) => {
      if (credits[i] !== expected.credits.get(user))
        throw new Error(`user ${user}: credit ${credits[i]}, expected ${expected.credits.get(user)}`);
    });
    const paid = await mapLimit(orders, 50, async (order) => (await api.order(order)).paid);
    orders.forEach((order, i) => {
      if (paid[i] !== expected.paid.get(order))
        throw new Error(`order ${order}: paid ${paid[i]}, expected ${expected.paid.get(order)}`);
    });
    expect(await api.stock(expected.item)).toBe(expected.stock);
  }

  /**
   * 250 credit updates and 250 one-unit checkouts over an item with 100 units, all at once; `fault` runs
   * meanwhile. Then: every request answered, each update applied once, units sold = successful
   * checkouts = credit spent, stock + sold = 100. Returns what the shop must show from then on.
   */
  async function underLoad(fault: () => Promise<void>): Promise<Expected> {
    Object.assign(paths, { direct: 0, polled: 0, disconnected: 0, recovered: 0, resent: 0 });
    const price = 3;
    const item = await api.createItem(price, 100);
    const users = await mapLimit(range(250), 50, () => api.createUser(price));
    const orders = await mapLimit(users, 50, (user) => api.createOrder(user, [[item, 1]]));
    const updates = users.map((user, i) => ({ user, amount: (i % 5) + 1 }));

    const answers = Promise.all([
      ...updates.map((u) => finalAnswer('post', `/users/credit/add/${u.user}/${u.amount}`)),
      ...orders.map((order) => finalAnswer('post', `/orders/checkout/${order}`)),
    ]);
    await sleep(500);
    await fault();
    const all = await answers;

    const credited = all.slice(0, updates.length);
    const checkouts = all.slice(updates.length);
    expect(credited.filter((a) => a.status !== 200)).toEqual([]);
    expect(checkouts.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
    const sold = checkouts.filter((a) => a.status === 200).length;
    // Every user can afford its order, so exactly the 100 units sell, whatever the interleaving.
    expect(sold).toBe(100);
    const expected: Expected = {
      item,
      stock: 100 - sold,
      paid: new Map(orders.map((order, i) => [order, checkouts[i]!.status === 200])),
      credits: new Map(
        users.map((user, i) => [
          user,
          price + updates[i]!.amount - (checkouts[i]!.status === 200 ? price : 0),
        ]),
      ),
    };
    await readBack(expected);
    // Conservation: the money in is the money left plus the money paid for the units sold.
    const credits = [...expected.credits.values()];
    expect(sum(credits)).toBe(users.length * price + sum(updates.map((u) => u.amount)) - sold * price);
    return expected;
  }

  return {
    api,
    connections,
    paths,
    underLoad,
    readBack,
    close() {
      api.close();
      connections.destroy();
    },
  };
}
