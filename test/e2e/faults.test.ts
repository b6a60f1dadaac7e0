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

// Faults on the real stack, each during a burst of concurrent requests: every request must get a final
// answer (directly, or by polling its correlation ID) and every effect must happen exactly once.

const repo = path.resolve(__dirname, '../..');
const runDir = path.join(process.env.STACK_DIR ?? path.join(repo, '.stack'), 'run');
const pidOf = (name: string): number =>
  Number(fs.readFileSync(path.join(runDir, `${name}.pid`), 'utf8').trim());
const script = (name: string): void => {
  execFileSync('bash', [path.join(repo, 'stack/bin', name)], { stdio: 'inherit' });
};

/** A recovery takes tens of seconds: poll a late reply for up to three minutes. */
const RECOVERY_POLL_MS = 180_000;

/** The gateway replicas: the Node cluster workers under the gateway's primary process. */
function gatewayReplicas(): number[] {
  const out = execFileSync('pgrep', ['-P', String(pidOf('gateway'))], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}

/** A request whose connection broke: the gateway replica that held it is gone. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ECONNRESET' ||
    code === 'ECONNREFUSED' ||
    code === 'EPIPE' ||
    /socket hang up/.test(String(error))
  );
}

function shopUrl(): string {
  const url = process.env.SHOP_URL;
  if (!url) throw new Error('the fault tests need the real stack: run them with `npm run test:e2e`');
  return url;
}

describe('e2e > faults', () => {
  const url = shopUrl();
  const api = new ShopClient(url);
  const connections = new Agent({ keepAlive: true });
  afterAll(() => {
    api.close();
    connections.destroy();
  });

  /** How the requests of one burst got their answers, for asserting that a fault hit them. */
  const paths = { direct: 0, polled: 0, disconnected: 0, recovered: 0, resent: 0 };

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

  /**
   * 250 credit updates and 250 one-unit checkouts over an item with 100 units, all at once; `fault` runs
   * meanwhile. Then: every request answered, each update applied once, units sold = successful
   * checkouts = credit spent, stock + sold = 100.
   */
  async function underLoad(fault: () => Promise<void>): Promise<void> {
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
    expect(await api.stock(item)).toBe(100 - sold);

    const credits = await mapLimit(users, 50, (user) => api.credit(user));
    const paid = await mapLimit(orders, 50, async (order) => (await api.order(order)).paid);
    expect(paid.filter(Boolean)).toHaveLength(sold);
    users.forEach((user, i) => {
      const expected = price + updates[i]!.amount - (paid[i] ? price : 0);
      if (credits[i] !== expected)
        throw new Error(`user ${user}: credit ${credits[i]}, expected ${expected}`);
    });
    expect(sum(credits)).toBe(users.length * price + sum(updates.map((u) => u.amount)) - sold * price);
  }

  it('kill -9 of the functions server: StateFun retries, nothing is lost or applied twice', async () => {
    await underLoad(async () => {
      process.kill(pidOf('functions'), 'SIGKILL');
      await sleep(2000);
      script('functions.sh');
    });
  });

  it('kill -9 of a gateway replica: its requests are answered by polling through the other one', async () => {
    const before = gatewayReplicas();
    expect(before.length).toBeGreaterThanOrEqual(2);
    await underLoad(async () => {
      // Once answers flow, the replica holds requests whose commands are out and whose replies are not.
      for (let waited = 0; paths.direct < 20 && waited < 60_000; waited += 100) await sleep(100);
      process.kill(before[0]!, 'SIGKILL');
    });
    // The fault did cut requests in flight, and requests it cut were answered by polling their IDs.
    expect(paths.disconnected).toBeGreaterThan(0);
    expect(paths.recovered).toBeGreaterThan(0);
    // The cluster's primary replaced the dead replica.
    const after = gatewayReplicas();
    expect(after).toHaveLength(before.length);
    expect(after).not.toContain(before[0]);
  });

  it('kill -9 of a gateway replica between a request and its retry: Idempotency-Key retries get the first answer', async () => {
    const before = gatewayReplicas();
    expect(before.length).toBeGreaterThanOrEqual(2);
    const users = await mapLimit(range(400), 50, () => api.createUser());
    const seen = { disconnected: 0 };

    /** What a client that only retries under its key (it never polls) finally gets. */
    async function retried(path: string): Promise<Answer> {
      const key = `e2e-${randomUUID()}`;
      const deadline = Date.now() + RECOVERY_POLL_MS;
      while (Date.now() < deadline) {
        let answer: Answer;
        try {
          answer = toAnswer(await raw(url, 'post', path, connections, { 'Idempotency-Key': key }));
        } catch (error) {
          if (!isConnectionLoss(error)) throw error;
          seen.disconnected++;
          await sleep(250);
          continue;
        }
        const running =
          answer.status === 409 && answer.body.code === 'SHOP_ERR_IDEMPOTENT_REQUEST_IN_PROGRESS';
        if (answer.status !== 202 && !running) return answer;
        await sleep(250);
      }
      throw new Error(`POST ${path}: no final answer under ${key} within ${RECOVERY_POLL_MS} ms`);
    }

    // Answered before the kill: their retries afterwards must replay the stored answer, whichever
    // replica gave it.
    const early = users
      .slice(0, 20)
      .map((user) => ({ path: `/users/credit/add/${user}/10`, key: `e2e-${randomUUID()}` }));
    const send = (path: string, key: string) =>
      raw(url, 'post', path, connections, { 'Idempotency-Key': key }).then(toAnswer);
    const firsts = await Promise.all(early.map(({ path, key }) => send(path, key)));
    expect(firsts.map((a) => a.status)).toEqual(early.map(() => 200));

    const rest = users.slice(20);
    const amounts = rest.map((_, i) => (i % 5) + 1);
    const answers = Promise.all(rest.map((user, i) => retried(`/users/credit/add/${user}/${amounts[i]}`)));
    // Killed once the burst is out and before its checkpoint answers it (each write waits for one, 500 ms):
    // the replica dies holding requests in flight.
    await sleep(150);
    process.kill(before[0]!, 'SIGKILL');
    const final = await answers;

    expect(final.filter((a) => a.status !== 200)).toEqual([]);
    // Each change happened once, however many times it was sent.
    expect(await mapLimit(rest, 50, (user) => api.credit(user))).toEqual(amounts);
    expect(seen.disconnected).toBeGreaterThan(0);
    const retries = await Promise.all(early.map(({ path, key }) => send(path, key)));
    expect(retries.map((a) => [a.status, a.body, a.headers['idempotent-replayed']])).toEqual(
      firsts.map((a) => [a.status, a.body, 'true']),
    );
    expect(await mapLimit(users.slice(0, 20), 50, (user) => api.credit(user))).toEqual(early.map(() => 10));
    for (let waited = 0; gatewayReplicas().length < before.length && waited < 30_000; waited += 250) {
      await sleep(250);
    }
  });

  it('kill -9 of the Flink JobManager: restarted, the job resumes from its checkpoint, exactly once', async () => {
    await underLoad(async () => {
      process.kill(pidOf('flink-jobmanager'), 'SIGKILL');
      await sleep(2000);
      script('statefun.sh');
    });
  });

  it('kill -9 of the Flink TaskManager: the job restores from its checkpoint and replays, exactly once', async () => {
    await underLoad(async () => {
      process.kill(pidOf('flink-taskmanager'), 'SIGKILL');
      await sleep(2000);
      script('statefun.sh');
    });
  });
});
