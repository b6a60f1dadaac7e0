/**
 * The consistency check of the WDM benchmark: after concurrent checkouts of one item, what the shop
 * says (read back through its API) and what its clients were told (the client's own log of answers)
 * must tell one story: items sold = successful checkouts = credit spent = initial − remaining stock.
 */

/** The setup the checkouts ran against. */
export interface ConsistencySetup {
  initialStock: number;
  price: number;
  /** Credit every user was given. */
  creditPerUser: number;
}

/** What the shop's API says once every checkout has its final answer. */
export interface ApiState {
  stockAfter: number;
  users: readonly { user_id: string; credit: number }[];
  orders: readonly { order_id: string; user_id: string; paid: boolean; quantity: number }[];
}

/** The client's log: the final answer to each checkout it sent. */
export interface CheckoutLogEntry {
  order_id: string;
  status: number;
}

export interface Counter {
  what: string;
  count: number;
  /** What was compared, in numbers. */
  detail: string;
}

export interface Verdict {
  counters: Counter[];
  /** The sum of every counter: 0 when API and log agree everywhere. */
  violations: number;
  figures: {
    checkouts: number;
    succeeded: number;
    refused: number;
    /** Answers that say neither yes nor no (5xx, no answer, a reply never polled to its end). */
    unknown: number;
    stockSold: number;
    itemsSold: number;
    creditSpent: number;
  };
}

const succeeded = (status: number) => status === 200;
/** A 4xx is a refusal that, the API promises, changed nothing. */
const refused = (status: number) => status >= 400 && status < 500;

export function verifyConsistency(
  setup: ConsistencySetup,
  api: ApiState,
  log: readonly CheckoutLogEntry[],
): Verdict {
  const okOrders = new Set<string>();
  const answered = new Map<string, number>();
  let duplicates = 0;
  let unknown = 0;
  let refusedCount = 0;
  for (const entry of log) {
    if (answered.has(entry.order_id)) duplicates++;
    answered.set(entry.order_id, entry.status);
    if (succeeded(entry.status)) okOrders.add(entry.order_id);
    else if (refused(entry.status)) refusedCount++;
    else unknown++;
  }
  const successes = okOrders.size;

  const stockSold = setup.initialStock - api.stockAfter;
  const creditSpent = api.users.reduce((total, user) => total + (setup.creditPerUser - user.credit), 0);
  const paidOrders = api.orders.filter((order) => order.paid);
  const itemsSold = paidOrders.reduce((total, order) => total + order.quantity, 0);
  const itemsSoldInLog = api.orders
    .filter((order) => okOrders.has(order.order_id))
    .reduce((total, order) => total + order.quantity, 0);

  // Per order: paid in the shop exactly when the client was told so.
  const orderMismatches = api.orders.filter((order) => order.paid !== okOrders.has(order.order_id)).length;
  const apiOrderIds = new Set(api.orders.map((order) => order.order_id));
  const unknownOrders = [...okOrders].filter((id) => !apiOrderIds.has(id)).length;

  // Per user: the credit spent is the price of their orders that the client was told were paid.
  const owed = new Map<string, number>();
  for (const order of api.orders) {
    if (okOrders.has(order.order_id)) {
      owed.set(order.user_id, (owed.get(order.user_id) ?? 0) + order.quantity * setup.price);
    }
  }
  const userMismatches = api.users.filter(
    (user) => setup.creditPerUser - user.credit !== (owed.get(user.user_id) ?? 0) || user.credit < 0,
  ).length;

  const oversold = Math.max(0, itemsSoldInLog - setup.initialStock, -api.stockAfter);

  const counters: Counter[] = [
    {
      what: 'stock',
      count: Math.abs(stockSold - itemsSoldInLog),
      detail: `initial − remaining stock = ${stockSold}, items in successful checkouts (log) = ${itemsSoldInLog}`,
    },
    {
      what: 'payments',
      count: Math.abs(creditSpent - itemsSoldInLog * setup.price),
      detail: `credit spent (API) = ${creditSpent}, charged by successful checkouts (log) = ${itemsSoldInLog * setup.price}`,
    },
    {
      what: 'items sold',
      count: Math.abs(itemsSold - itemsSoldInLog),
      detail: `items in paid orders (API) = ${itemsSold}, in successful checkouts (log) = ${itemsSoldInLog}`,
    },
    {
      what: 'orders',
      count: orderMismatches + unknownOrders,
      detail: `orders paid (API) = ${paidOrders.length}, successful checkouts (log) = ${successes}; ${orderMismatches} differ, ${unknownOrders} unknown to the API`,
    },
    {
      what: 'users',
      count: userMismatches,
      detail: `${userMismatches} of ${api.users.length} users spent other than the price of their successful checkouts`,
    },
    {
      what: 'oversold stock',
      count: oversold,
      detail: `sold ${Math.max(itemsSoldInLog, stockSold)} of ${setup.initialStock}, remaining ${api.stockAfter}`,
    },
    {
      what: 'answers',
      count: unknown + duplicates,
      detail: `${unknown} checkouts without a final yes or no, ${duplicates} answered twice`,
    },
  ];
  return {
    counters,
    violations: counters.reduce((total, counter) => total + counter.count, 0),
    figures: {
      checkouts: log.length,
      succeeded: successes,
      refused: refusedCount,
      unknown,
      stockSold,
      itemsSold,
      creditSpent,
    },
  };
}

/** `inconsistencies in <what>: <n>` for each counter, then `violations: <n>`. */
export function formatVerdict(verdict: Verdict): string[] {
  return [
    ...verdict.counters.map((counter) => `inconsistencies in ${counter.what}: ${counter.count}`),
    `violations: ${verdict.violations}`,
  ];
}
