import fs from 'node:fs';
import path from 'node:path';
import { ShopClient, mapLimit, range, sleep, unknownId } from '../api/helpers';
import { dashboardQueries, type PanelQuery } from '../support/dashboard';

// The Grafana dashboard against the stack's real Prometheus: after a burst of traffic that touches every
// kind of thing the dashboard shows (users, credit, items, orders, paid and refused checkouts, 4xx
// answers), every panel's every query must return a number. A panel whose metric was renamed, whose
// exporter is not scraped, or whose PromQL is wrong shows up here as an empty query.
// It checks the stack's metrics, not the gateway's read path: e2e.sh runs it in its first pass only.

const DASHBOARD = path.join(__dirname, '..', '..', 'deploy', 'grafana', 'dashboards', 'statefun-shop.json');
const prometheus = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
// Wide enough that the burst is inside every rate() window while the test polls.
const builtIns = { interval: '2m', range: '15m' };
/** How long Prometheus gets to scrape the burst's effects (every target is scraped every 5 s). */
const SETTLE_MS = 90_000;

function shopUrl(): string {
  const url = process.env.SHOP_URL;
  if (!url) throw new Error('these tests need the real stack: run them with `npm run test:e2e`');
  return url;
}

interface QueryAnswer {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** Whether the query's instant vector holds at least one finite number (NaN: a quantile of nothing). */
async function hasData(query: PanelQuery): Promise<boolean> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query.expr)}`);
  const answer = (await res.json()) as QueryAnswer;
  if (answer.status !== 'success')
    throw new Error(`${query.panel} ${query.refId}: ${answer.error ?? res.status}`);
  const result = answer.data?.result ?? [];
  return result.some((series) => Number.isFinite(Number(series.value[1])));
}

const firstPassOnly = process.env.E2E_FIRST_PASS === '0' ? describe.skip : describe;

firstPassOnly('e2e > dashboard', () => {
  const api = new ShopClient(shopUrl());
  afterAll(() => api.close());

  /** Users, credit, stock and orders; checkouts paid, refused for credit and refused for stock; 4xx. */
  async function burst(): Promise<void> {
    const item = await api.createItem(3, 100);
    const scarce = await api.createItem(3, 0);
    await mapLimit(range(6), 3, async (i) => {
      const user = await api.createUser(i === 0 ? 0 : 50);
      const order = await api.createOrder(user, [[i === 1 ? scarce : item, 2]]);
      await api.checkout(order); // i = 0: no credit; i = 1: no stock; else paid
      await api.order(order);
      await api.credit(user);
    });
    await api.get(`/users/find/${unknownId()}`); // 404 of a known route
    await api.get('/no/such/route'); // 404, route "unmatched"
  }

  it("every panel's query returns data after a burst of traffic", async () => {
    const queries = dashboardQueries(JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')), builtIns);
    expect(queries.length).toBeGreaterThan(0);
    await burst();
    // Poll until every query has data or the time is up, then name the ones that never had any.
    const deadline = Date.now() + SETTLE_MS;
    let empty: PanelQuery[] = queries;
    for (;;) {
      const answers = await Promise.all(empty.map(async (q) => ({ q, ok: await hasData(q) })));
      empty = answers.filter((a) => !a.ok).map((a) => a.q);
      if (empty.length === 0 || Date.now() > deadline) break;
      await sleep(2_000);
    }
    expect(empty.map((q) => `${q.panel} [${q.refId}]: ${q.expr}`)).toEqual([]);
  });
});
