import fs from 'node:fs';
import path from 'node:path';
import { dashboardQueries, substitute } from './dashboard';

const builtIns = { interval: '1m', range: '15m' };

describe('dashboard queries', () => {
  it('substitutes $name, ${name}, ${name:fmt} and [[name]]', () => {
    const vars = new Map([
      ['__rate_interval', '1m'],
      ['job', 'gateway'],
    ]);
    expect(substitute('rate(x{job="$job"}[$__rate_interval])', vars)).toBe('rate(x{job="gateway"}[1m])');
    expect(substitute('x{job="${job}",j="${job:raw}"} [[job]]', vars)).toBe(
      'x{job="gateway",j="gateway"} gateway',
    );
  });

  it('refuses a variable that has no value rather than sending it to Prometheus', () => {
    expect(() => substitute('x{route="$route"}', new Map())).toThrow(/\$route/);
  });

  it("reads every target of every panel, rows' nested panels included, hidden targets left out", () => {
    const dashboard = {
      templating: { list: [{ name: 'topic', current: { value: 'shop-users' } }] },
      panels: [
        {
          id: 1,
          type: 'row',
          title: 'R',
          panels: [{ id: 2, title: 'Nested', targets: [{ refId: 'A', expr: 'a' }] }],
        },
        {
          id: 3,
          title: 'Lag',
          targets: [
            { refId: 'A', expr: 'lag{topic="$topic"}' },
            { refId: 'B', expr: 'rate(y[$__rate_interval])' },
            { refId: 'C', expr: 'hidden', hide: true },
          ],
        },
      ],
    };
    expect(dashboardQueries(dashboard, builtIns)).toEqual([
      { panel: 'Nested', refId: 'A', expr: 'a' },
      { panel: 'Lag', refId: 'A', expr: 'lag{topic="shop-users"}' },
      { panel: 'Lag', refId: 'B', expr: 'rate(y[1m])' },
    ]);
  });

  it("the shop's dashboard has a query on every panel, none left with a variable", () => {
    const file = path.join(__dirname, '..', '..', 'deploy', 'grafana', 'dashboards', 'statefun-shop.json');
    const dashboard: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const queries = dashboardQueries(dashboard, builtIns);
    const panels = (dashboard as { panels: { type: string; title: string }[] }).panels.filter(
      (p) => p.type !== 'row',
    );
    expect(new Set(queries.map((q) => q.panel))).toEqual(new Set(panels.map((p) => p.title)));
    for (const q of queries) expect(q.expr).not.toMatch(/\$|\[\[/);
  });
});
