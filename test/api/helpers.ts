import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import request, { type Response } from 'supertest';
import { conformanceOf } from '../support/openapi-conformance';
import { shopUnderTest, type ShopOptions, type ShopUnderTest } from '../support/shop-under-test';

/** What the shop finally answered to one request: its status, JSON body and headers. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | undefined>;
}

export type Method = 'get' | 'post' | 'delete' | 'put' | 'patch' | 'options' | 'head';

/** An order as `GET /orders/find` shows it. */
export interface OrderView {
  order_id: string;
  paid: boolean;
  items: [string, number][];
  user_id: string;
  total_cost: number;
}

/** How often, and how far apart, a 202 is polled for its reply before the helper gives up. */
const POLL_TRIES = 500;
const POLL_INTERVAL_MS = 20;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A well-formed id that no test ever creates. */
export const unknownId = (): string => randomUUID();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function toAnswer(res: Response): Answer {
  const body: unknown = res.body;
  const headers: unknown = res.headers;
  return {
    status: res.status,
    body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
    headers: headers as Record<string, string | undefined>,
  };
}

/**
 * Sends one request as it is, without following a 202; over `connections` when given (keep-alive).
 * Every answer is checked against the shop's own /openapi.json: one that the description does not
 * allow fails the test that received it.
 */
export async function raw(
  url: string,
  method: Method,
  path: string,
  connections?: Agent,
  headers: Record<string, string> = {},
): Promise<Response> {
  const conformance = await conformanceOf(url);
  const test = request(url)[method](path).set(headers);
  const res = await (connections ? test.agent(connections) : test);
  const problem = conformance.problem(method, path, res.status, res.get('content-type'), res.body);
  if (problem) throw new Error(`the answer does not conform to /openapi.json: ${problem}`);
  return res;
}

/**
 * A client of the shop's REST API, over HTTP only. Every call returns the final answer: a 202 (the
 * reply was late) is followed to its `Location` and polled until the reply is there, as any client of
 * the shop must do, so that the same tests hold whatever the shop's reply timeout is.
 */
export class ShopClient {
  /** Reuses connections: a fresh TCP connection per request would be most of a request's cost. */
  private readonly connections = new Agent({ keepAlive: true });

  constructor(readonly url: string) {}

  /** Closes the idle connections. */
  close(): void {
    this.connections.destroy();
  }

  async call(method: Method, path: string): Promise<Answer> {
    const first = await raw(this.url, method, path, this.connections);
    if (first.status !== 202) return toAnswer(first);
    const location: unknown = first.headers.location;
    if (typeof location !== 'string' || !location.startsWith('/replies/')) {
      throw new Error(`${method.toUpperCase()} ${path}: 202 without a /replies/ Location`);
    }
    for (let attempt = 0; attempt < POLL_TRIES; attempt++) {
      const polled = await raw(this.url, 'get', location, this.connections);
      if (polled.status !== 202) return toAnswer(polled);
      await sleep(POLL_INTERVAL_MS);
    }
    throw new Error(`${method.toUpperCase()} ${path}: no reply at ${location} after ${POLL_TRIES} polls`);
  }

  get(path: string): Promise<Answer> {
    return this.call('get', path);
  }

  post(path: string): Promise<Answer> {
    return this.call('post', path);
  }

  delete(path: string): Promise<Answer> {
    return this.call('delete', path);
  }

  /**
   * Sends a request that must succeed with `status`, and returns its body. The helpers check with
   * plain conditions rather than `expect`: they run thousands of times, and every `expect` call
   * captures a stack trace.
   */
  async ok(method: Method, path: string, status = 200): Promise<Record<string, unknown>> {
    const answer = await this.call(method, path);
    if (answer.status !== status) {
      throw new Error(
        `${method.toUpperCase()} ${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body;
  }

  /** A new user with `credit` (added through the API when positive). */
  async createUser(credit = 0): Promise<string> {
    const created = await this.ok('post', '/users/create', 201);
    const userId = shaped(created, { user_id: isUuid }, 'POST /users/create').user_id;
    if (credit > 0) {
      const added = await this.ok('post', `/users/credit/add/${userId}/${credit}`);
      shaped(added, { user_id: (v) => v === userId, credit: (v) => v === credit }, 'credit/add');
    }
    return userId;
  }

  /** A new item at `price`, with `stock` units (added through the API when positive). */
  async createItem(price: number, stock = 0): Promise<string> {
    const created = await this.ok('post', `/stock/item/create/${price}`, 201);
    const itemId = shaped(created, { item_id: isUuid }, 'POST /stock/item/create').item_id;
    if (stock > 0) {
      const added = await this.ok('post', `/stock/add/${itemId}/${stock}`);
      shaped(added, { item_id: (v) => v === itemId, stock: (v) => v === stock }, 'stock/add');
    }
    return itemId;
  }

  /** A new order of `userId`, holding `items` as [item_id, quantity] lines. */
  async createOrder(userId: string, items: readonly (readonly [string, number])[] = []): Promise<string> {
    const created = await this.ok('post', `/orders/create/${userId}`, 201);
    const orderId = shaped(created, { order_id: isUuid }, 'POST /orders/create').order_id;
    for (const [itemId, quantity] of items) {
      await this.ok('post', `/orders/addItem/${orderId}/${itemId}/${quantity}`);
    }
    return orderId;
  }

  async credit(userId: string): Promise<number> {
    const body = await this.ok('get', `/users/credit/${userId}`);
    return shaped(body, { user_id: (v) => v === userId, credit: isNumber }, 'GET /users/credit').credit;
  }

  async stock(itemId: string): Promise<number> {
    const body = await this.ok('get', `/stock/availability/${itemId}`);
    return shaped(body, { item_id: (v) => v === itemId, stock: isNumber }, 'GET /stock/availability').stock;
  }

  async order(orderId: string): Promise<OrderView> {
    const body = await this.ok('get', `/orders/find/${orderId}`);
    return shaped(
      body,
      {
        order_id: (v): v is string => v === orderId,
        paid: (v): v is boolean => typeof v === 'boolean',
        items: (v): v is [string, number][] =>
          Array.isArray(v) &&
          v.every((line) => Array.isArray(line) && typeof line[0] === 'string' && isNumber(line[1])),
        user_id: (v): v is string => typeof v === 'string',
        total_cost: isNumber,
      },
      'GET /orders/find',
    );
  }

  async paymentStatus(userId: string, orderId: string): Promise<boolean> {
    const body = await this.ok('get', `/payment/status/${userId}/${orderId}`);
    return shaped(body, { paid: (v): v is boolean => typeof v === 'boolean' }, 'GET /payment/status').paid;
  }

  checkout(orderId: string): Promise<Answer> {
    return this.post(`/orders/checkout/${orderId}`);
  }
}

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

type Guard<T> = ((v: unknown) => v is T) | ((v: unknown) => boolean);
type Shaped<S> = { [K in keyof S]: S[K] extends (v: unknown) => v is infer T ? T : unknown };

/** Checks that `body` has exactly the keys of `shape`, each passing its check; throws otherwise. */
function shaped<S extends Record<string, Guard<unknown>>>(
  body: Record<string, unknown>,
  shape: S,
  what: string,
): Shaped<S> {
  const keys = Object.keys(shape);
  const exact = Object.keys(body).length === keys.length && keys.every((k) => shape[k]!(body[k]));
  if (!exact) throw new Error(`${what}: unexpected body ${JSON.stringify(body)}`);
  return body as Shaped<S>;
}

/** Asserts the status, showing the body when it differs (a bare status comparison hides the reason). */
export function expectStatus(answer: Answer, status: number, what = 'request'): void {
  expect({ what, status: answer.status, body: answer.body }).toEqual({
    what,
    status,
    body: answer.body,
  });
}

/** Asserts a refusal: its status and exactly `{error, code}`, the error a non-empty message. */
export function expectError(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: { error: expect.stringMatching(/\S/), code },
  });
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * Starts the shop under test before the file's tests and stops it after them; the returned handle's
 * `api` and `shop` are usable inside tests and hooks.
 */
export function useShop(options: ShopOptions = {}): {
  readonly api: ShopClient;
  readonly shop: ShopUnderTest;
} {
  let running: ShopUnderTest | undefined;
  let client: ShopClient | undefined;
  beforeAll(async () => {
    running = await shopUnderTest(options);
    client = new ShopClient(running.url);
  });
  afterAll(async () => {
    client?.close();
    await running?.close();
  });
  return {
    get api(): ShopClient {
      if (!client) throw new Error('the shop is not started yet: use `api` inside a test or hook');
      return client;
    },
    get shop(): ShopUnderTest {
      if (!running) throw new Error('the shop is not started yet: use `shop` inside a test or hook');
      return running;
    },
  };
}
