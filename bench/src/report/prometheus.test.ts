import { prometheusGraphUrl, RUN_GRAPHS } from './prometheus';

describe('bench > report > Prometheus link', () => {
  const window = { from: new Date('2025-01-02T03:04:05.000Z'), to: new Date('2025-01-02T03:05:05.500Z') };

  it("opens one graph per expression over the run's window with a 30 s margin on each side", () => {
    const url = new URL(prometheusGraphUrl('http://127.0.0.1:9090', window, ['up', 'rate(x[30s])']));
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9090/graph');
    const q = url.searchParams;
    expect(q.get('g0.expr')).toBe('up');
    expect(q.get('g1.expr')).toBe('rate(x[30s])');
    for (const g of ['g0', 'g1']) {
      expect(q.get(`${g}.tab`)).toBe('0');
      // 60.5 s of run, rounded up, and 30 s before and after it
      expect(q.get(`${g}.range_input`)).toBe('121s');
      expect(q.get(`${g}.end_input`)).toBe('2025-01-02 03:05:35');
    }
    expect(q.has('g2.expr')).toBe(false);
  });

  it('encodes PromQL so that braces, quotes and + survive the query string', () => {
    const expr = 'sum(rate(a{job="x"}[1m])) + 1';
    const url = prometheusGraphUrl('http://127.0.0.1:9090/', window, [expr]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:9090\/graph\?g0\.expr=/);
    expect(url).not.toMatch(/[{}"+ ]/);
    expect(new URL(url).searchParams.get('g0.expr')).toBe(expr);
  });

  it('shows the shop, Flink and the processes by default', () => {
    const q = new URL(prometheusGraphUrl('http://127.0.0.1:9090', window)).searchParams;
    expect(RUN_GRAPHS.map((_, i) => q.get(`g${i}.expr`))).toEqual([...RUN_GRAPHS]);
  });
});
