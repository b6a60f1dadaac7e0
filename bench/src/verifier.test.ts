import { formatVerdict, verifyConsistency, type ApiState, type CheckoutLogEntry } from './verifier';

const setup = { initialStock: 3, price: 1, creditPerUser: 1 };

/** Five buyers of one unit each; orders o0..o2 were paid and told so, o3 and o4 were refused. */
function consistentRun(): { api: ApiState; log: CheckoutLogEntry[] } {
  const buyers = [0, 1, 2, 3, 4].map((i) => ({ user_id: `u${i}`, order_id: `o${i}`, won: i < 3 }));
  return {
    api: {
      stockAfter: 0,
      users: buyers.map((b) => ({ user_id: b.user_id, credit: b.won ? 0 : 1 })),
      orders: buyers.map((b) => ({ order_id: b.order_id, user_id: b.user_id, paid: b.won, quantity: 1 })),
    },
    log: buyers.map((b) => ({ order_id: b.order_id, status: b.won ? 200 : 409 })),
  };
}

const countOf = (verdict: ReturnType<typeof verifyConsistency>, what: string) =>
  verdict.counters.find((counter) => counter.what === what)?.count;

describe('bench > verifier', () => {
  it('finds no violation when the API and the client log tell one story', () => {
    const { api, log } = consistentRun();
    const verdict = verifyConsistency(setup, api, log);
    expect(verdict.violations).toBe(0);
    expect(verdict.figures).toEqual({
      checkouts: 5,
      succeeded: 3,
      refused: 2,
      unknown: 0,
      stockSold: 3,
      itemsSold: 3,
      creditSpent: 3,
    });
    expect(formatVerdict(verdict)).toEqual([
      'inconsistencies in stock: 0',
      'inconsistencies in payments: 0',
      'inconsistencies in items sold: 0',
      'inconsistencies in orders: 0',
      'inconsistencies in users: 0',
      'inconsistencies in oversold stock: 0',
      'inconsistencies in answers: 0',
      'violations: 0',
    ]);
  });

  it('flags stock that left the item without a successful checkout', () => {
    const { api, log } = consistentRun();
    const verdict = verifyConsistency(setup, { ...api, stockAfter: -1 }, log);
    expect(countOf(verdict, 'stock')).toBe(1);
    expect(countOf(verdict, 'oversold stock')).toBe(1);
    expect(verdict.violations).toBe(2);
    expect(formatVerdict(verdict).at(-1)).toBe('violations: 2');
  });

  it('flags a user charged for a checkout the client was told failed', () => {
    const { api, log } = consistentRun();
    const users = api.users.map((user) => (user.user_id === 'u4' ? { ...user, credit: 0 } : user));
    const verdict = verifyConsistency(setup, { ...api, users }, log);
    expect(countOf(verdict, 'payments')).toBe(1);
    expect(countOf(verdict, 'users')).toBe(1);
    expect(verdict.violations).toBe(2);
  });

  it('flags an order paid in the shop whose checkout the client saw refused', () => {
    const { api, log } = consistentRun();
    const orders = api.orders.map((order) => (order.order_id === 'o3' ? { ...order, paid: true } : order));
    const verdict = verifyConsistency(setup, { ...api, orders }, log);
    expect(countOf(verdict, 'items sold')).toBe(1);
    expect(countOf(verdict, 'orders')).toBe(1);
    expect(verdict.violations).toBeGreaterThan(0);
  });

  it('flags more successful checkouts than there was stock', () => {
    const { api, log } = consistentRun();
    const lied = log.map((entry) => (entry.order_id === 'o3' ? { ...entry, status: 200 } : entry));
    const verdict = verifyConsistency(setup, api, lied);
    expect(countOf(verdict, 'oversold stock')).toBe(1);
    expect(countOf(verdict, 'stock')).toBe(1);
    expect(countOf(verdict, 'orders')).toBe(1);
  });

  it('counts a checkout without a final yes or no, and one answered twice', () => {
    const { api, log } = consistentRun();
    const verdict = verifyConsistency(setup, api, [
      ...log.map((entry) => (entry.order_id === 'o4' ? { ...entry, status: 500 } : entry)),
      { order_id: 'o3', status: 409 },
    ]);
    expect(countOf(verdict, 'answers')).toBe(2);
    expect(verdict.figures.unknown).toBe(1);
  });
});
