/* global process, console, fetch, performance */
// Latency of one checkout under light load: N checkouts one after another against a running shop, then
// p50/p99/max. Used to pick the checkpoint interval (every reply waits for a checkpoint on the real stack).
//   node stack/smoke/checkout-latency.mjs [N=40] [URL=http://127.0.0.1:8000]
const n = Number(process.argv[2] ?? 40);
const url = process.argv[3] ?? process.env.SHOP_URL ?? 'http://127.0.0.1:8000';

async function call(method, path, expected) {
  const res = await fetch(`${url}${path}`, { method });
  const body = await res.json();
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const { user_id: user } = await call('POST', '/users/create', 201);
await call('POST', `/users/credit/add/${user}/${n}`, 200);
const { item_id: item } = await call('POST', '/stock/item/create/1', 201);
await call('POST', `/stock/add/${item}/${n}`, 200);
const orders = [];
for (let i = 0; i < n; i++) {
  const { order_id: order } = await call('POST', `/orders/create/${user}`, 201);
  await call('POST', `/orders/addItem/${order}/${item}/1`, 200);
  orders.push(order);
}

const took = [];
for (const order of orders) {
  const started = performance.now();
  await call('POST', `/orders/checkout/${order}`, 200);
  took.push(performance.now() - started);
}
took.sort((a, b) => a - b);
const at = (q) => took[Math.min(took.length - 1, Math.ceil(q * took.length) - 1)].toFixed(0);
console.log(
  `checkout latency over ${n} sequential checkouts: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`,
);
