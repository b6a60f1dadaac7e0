import { randomUUID } from 'node:crypto';
import { mapLimit, range, raw, sleep, toAnswer, type Answer } from '../api/helpers';
import {
  childrenOf,
  isConnectionLoss,
  loadHarness,
  pidOf,
  RECOVERY_POLL_MS,
  script,
  shopUrl,
} from './under-load';

// Faults on the real stack, each during a burst of concurrent requests: every request must get a final
// answer (directly, or by polling its correlation ID) and every effect must happen exactly once.

const gatewayReplicas = (): number[] => childrenOf('gateway');
const functionsServers = (): number[] => childrenOf('functions');

describe('e2e > faults', () => {
  const url = shopUrl();
  const harness = loadHarness(url);
  const { api, connections, paths, underLoad } = harness;
  afterAll(() => harness.close());

  it('kill -9 of the functions server: StateFun retries, nothing is lost or applied twice', async () => {
    await underLoad(async () => {
      process.kill(pidOf('functions'), 'SIGKILL');
      await sleep(2000);
      script('functions.sh');
    });
  });

  it('kill -9 of one functions server of several: the others take its calls, nothing is lost or applied twice', async () => {
    const before = functionsServers();
    expect(before.length).toBeGreaterThanOrEqual(2);
    await underLoad(async () => {
      // Once answers flow, StateFun has calls out to every server.
      for (let waited = 0; paths.direct < 20 && waited < 60_000; waited += 100) await sleep(100);
      process.kill(before[0]!, 'SIGKILL');
    });
    // The primary, still serving through the others, replaced the dead server.
    for (let waited = 0; functionsServers().length < before.length && waited < 30_000; waited += 250) {
      await sleep(250);
    }
    const after = functionsServers();
    expect(after).toHaveLength(before.length);
    expect(after).not.toContain(before[0]);
    expect(after).toContain(before[1]);
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

  it('kill -9 of a Flink TaskManager: the job restores from its checkpoint and replays, exactly once', async () => {
    await underLoad(async () => {
      process.kill(pidOf('flink-taskmanager-1'), 'SIGKILL');
      await sleep(2000);
      script('statefun.sh');
    });
  });
});
