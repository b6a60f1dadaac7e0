import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ShopClient, mapLimit, range, sleep, sum } from '../api/helpers';

// Faults on the real stack, each during a burst of concurrent requests: every request must get a final
// answer (directly, or by polling its correlation ID) and every effect must happen exactly once.

const repo = path.resolve(__dirname, '../..');
const runDir = path.join(process.env.STACK_DIR ?? path.join(repo, '.stack'), 'run');
const pidOf = (name: string): number =>
  Number(fs.readFileSync(path.join(runDir, `${name}.pid`), 'utf8').trim());

function shopUrl(): string {
  const url = process.env.SHOP_URL;
  if (!url) throw new Error('the fault tests need the real stack: run them with `npm run test:e2e`');
  return url;
}

describe('e2e > faults', () => {
  const api = new ShopClient(shopUrl());
  afterAll(() => api.close());

  it('kill -9 of the functions server during 500 concurrent credit updates: StateFun retries, nothing is lost or doubled', async () => {
    const users = await mapLimit(range(50), 10, () => api.createUser(0));
    const updates = range(500).map((i) => ({ user: users[i % users.length]!, amount: (i % 7) + 1 }));

    const answers = Promise.all(
      updates.map((u) => api.call('post', `/users/credit/add/${u.user}/${u.amount}`)),
    );
    await sleep(300);
    process.kill(pidOf('functions'), 'SIGKILL');
    await sleep(2000);
    execFileSync('bash', [path.join(repo, 'stack/bin/functions.sh')], { stdio: 'inherit' });

    const statuses = (await answers).map((a) => a.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    for (const user of users) {
      const expected = sum(updates.filter((u) => u.user === user).map((u) => u.amount));
      expect({ user, credit: await api.credit(user) }).toEqual({ user, credit: expected });
    }
  });
});
