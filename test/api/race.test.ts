import { mapLimit, range, sum, useShop } from './helpers';

const BUYERS = 200;
const STOCK = 10;
const PRICE = 13;
const CREDIT = 100;
/** How many setup requests are in flight at once. */
const SETUP_CONCURRENCY = 16;

describe('api > checkout race', () => {
  const ctx = useShop();

  it(`${BUYERS} concurrent checkouts of one item with ${STOCK} in stock: exactly ${STOCK} are paid, each once`, async () => {
    const { api } = ctx;
    const item = await api.createItem(PRICE, STOCK);
    const buyers = await mapLimit(range(BUYERS), SETUP_CONCURRENCY, async () => {
      const user = await api.createUser(CREDIT);
      const order = await api.createOrder(user, [[item, 1]]);
      return { user, order };
    });
    expect(new Set(buyers.map((b) => b.user)).size).toBe(BUYERS);
    // createUser checked that each user's credit is CREDIT.
    const creditBefore = BUYERS * CREDIT;

    const answers = await Promise.all(buyers.map((b) => api.checkout(b.order)));

    const won = answers.map((answer) => answer.status === 200);
    expect(won.filter(Boolean)).toHaveLength(STOCK);
    // One comparison for all of them: a failure shows every buyer whose answer was wrong.
    expect(answers.map((answer, i) => ({ buyer: i, status: answer.status, body: answer.body }))).toEqual(
      buyers.map((b, i) => ({
        buyer: i,
        status: won[i] ? 200 : 409,
        body: won[i]
          ? { order_id: b.order, paid: true, items: [[item, 1]], user_id: b.user, total_cost: PRICE }
          : { error: expect.stringMatching(/\S/), code: 'SHOP_ERR_OUT_OF_STOCK' },
      })),
    );

    expect(await api.stock(item)).toBe(0);
    const after = await mapLimit(buyers, SETUP_CONCURRENCY, async (b) => ({
      credit: await api.credit(b.user),
      order: await api.order(b.order),
    }));
    expect(creditBefore - sum(after.map((a) => a.credit))).toBe(STOCK * PRICE);
    // Each user paid the price iff their checkout succeeded, and each order is paid iff it did.
    expect(after.map((state, i) => ({ buyer: i, ...state }))).toEqual(
      buyers.map((b, i) => ({
        buyer: i,
        credit: won[i] ? CREDIT - PRICE : CREDIT,
        order: { order_id: b.order, paid: won[i], items: [[item, 1]], user_id: b.user, total_cost: PRICE },
      })),
    );
  });
});
