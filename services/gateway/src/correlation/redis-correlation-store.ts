import { Redis, type RedisOptions } from 'ioredis';
import type { CorrelationStore, Parked, PollResult } from './correlation-store';
import { Waiters } from './waiters';

/**
 * Client options under which a Redis outage turns into rejected commands within seconds.
 * Clients built by a factory should start from these too.
 */
export const redisClientOptions: RedisOptions = {
  // Fail fast instead of queueing: a request parked while Redis is away must become a 503, not hang.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  // Disconnecting from a Redis that is already gone leaves a timer this long, which delays shutdown.
  disconnectTimeout: 200,
};

export interface RedisCorrelationStoreOptions {
  /** A `redis://` URL, or a factory called once per connection (twice) that returns a fresh client. */
  redis: string | (() => Redis);
  /** This gateway replica's name: replies for requests parked here are published to its channel. */
  replicaId: string;
  /** How long correlation records and stored replies stay pollable. */
  ttlMs: number;
  /** Prefix of every key and channel; replicas sharing a store must agree on it. Default `shop:`. */
  keyPrefix?: string;
  /** Connection-level errors (reconnects and the like); commands report their own by rejecting. */
  onError?: (error: Error) => void;
}

/**
 * The distributed mode's correlation map. Each replica records in Redis that it holds a request; the
 * replica that consumes the reply stores it for polling and publishes it to the owner's channel.
 */
export class RedisCorrelationStore implements CorrelationStore {
  private readonly waiters = new Waiters();
  private readonly commands: Redis;
  private readonly scripts: Scripts;
  private readonly subscriber: Redis;
  private readonly replicaId: string;
  private readonly ttlMs: number;
  private readonly prefix: string;
  private closed = false;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(options: RedisCorrelationStoreOptions) {
    const { redis } = options;
    const create =
      typeof redis === 'string'
        ? () => new Redis(redis, { ...redisClientOptions, lazyConnect: true })
        : redis;
    this.commands = create();
    // Defined as commands, so ioredis sends each script once and then only its hash (EVALSHA).
    this.commands.defineCommand('shopClaim', { numberOfKeys: 3, lua: CLAIM_SCRIPT });
    this.commands.defineCommand('shopPoll', { numberOfKeys: 2, lua: POLL_SCRIPT });
    this.scripts = this.commands as unknown as Scripts;
    this.subscriber = create();
    this.replicaId = options.replicaId;
    this.ttlMs = options.ttlMs;
    this.prefix = options.keyPrefix ?? 'shop:';
    const { onError } = options;
    if (onError) {
      this.commands.on('error', onError);
      this.subscriber.on('error', onError);
    }
    this.subscriber.on('messageBuffer', (_channel: Buffer, frame: Buffer) => this.onFrame(frame));
  }

  /** Creates a store and starts it. */
  static async connect(options: RedisCorrelationStoreOptions): Promise<RedisCorrelationStore> {
    const store = new RedisCorrelationStore(options);
    try {
      await store.start();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /** Connects, and subscribes to this replica's channel so that no reply routed here can be missed. */
  async start(): Promise<void> {
    await Promise.all([ready(this.commands), ready(this.subscriber)]);
    await this.subscriber.subscribe(this.channel(this.replicaId));
    await this.beat();
    this.heartbeat = setInterval(() => {
      this.beat().catch(() => undefined);
    }, HEARTBEAT_INTERVAL_MS);
    this.heartbeat.unref();
  }

  async park(id: string, timeoutMs: number, request?: string): Promise<Parked | undefined> {
    const corrKey = this.corrKey(id);
    const claimed = await this.scripts.shopClaim(
      corrKey,
      this.replyKey(id),
      this.requestKey(id),
      this.replicaId,
      this.ttlMs,
      LOST,
      request ?? '',
    );
    if (claimed !== 1) return undefined;
    const reply = this.waiters.add(id, timeoutMs, async () => {
      // The reply may have been stored just as the wait ended, too late for the published copy.
      const stored = await this.commands.getBuffer(this.replyKey(id));
      return stored ? new Uint8Array(stored) : undefined;
    });
    const sent = async () => {
      await this.commands.set(corrKey, `${this.replicaId}${SENT}`, 'KEEPTTL', 'XX');
    };
    return { reply, sent };
  }

  async deliver(id: string, reply: Uint8Array): Promise<void> {
    const bytes = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
    // Stored before anyone is answered: a client whose connection drops even as its answer is written
    // still finds it by polling, instead of sending the request again.
    // The request an Idempotency-Key was used for is kept as long as its reply, to tell a retry from misuse.
    const [record] = await exec(
      this.commands
        .pipeline()
        .get(this.corrKey(id))
        .set(this.replyKey(id), bytes, 'PX', this.ttlMs)
        .pexpire(this.requestKey(id), this.ttlMs),
    );
    if (this.waiters.resolve(id, reply)) return;
    const owner = typeof record === 'string' ? ownerOf(record) : undefined;
    // Stored before publishing, so that an owner whose wait just ended finds it in its last look.
    if (owner !== undefined && owner !== this.replicaId) {
      await this.commands.publish(this.channel(owner), frame(id, bytes));
    }
  }

  async requestOf(id: string): Promise<string | undefined> {
    return (await this.commands.get(this.requestKey(id))) ?? undefined;
  }

  async poll(id: string): Promise<PollResult> {
    const [verdict, reply] = await this.scripts.shopPollBuffer(
      this.replyKey(id),
      this.corrKey(id),
      this.heartbeatKey(''),
      SENT,
      LOST,
    );
    if (verdict === 1 && reply) return { status: 'done', reply: new Uint8Array(reply) };
    if (verdict === 2) return { status: 'pending' };
    if (verdict === 3) return { status: 'lost' };
    return undefined;
  }

  async check(): Promise<void> {
    if (this.closed) throw new Error('the correlation store is closed');
    // Replies routed to this replica arrive on the subscriber's channel: without it, requests parked
    // here would only ever be answered by polling.
    if (this.subscriber.status !== 'ready') {
      throw new Error(`Redis reply subscription is ${this.subscriber.status}`);
    }
    // Bounded by commandTimeout; rejected at once while disconnected (no offline queue).
    await this.commands.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.waiters.releaseAll();
    // Stopping on purpose, so every request still parked here was sent or answered: no verdict to wait for.
    if (this.commands.status === 'ready') {
      await this.commands.del(this.heartbeatKey(this.replicaId)).catch(() => undefined);
    }
    await Promise.all([quit(this.commands), quit(this.subscriber)]);
  }

  private onFrame(message: Buffer): void {
    const decoded = unframe(message);
    // Without a waiter the wait has ended: the reply is already stored for polling.
    if (decoded) this.waiters.resolve(decoded.id, decoded.reply);
  }

  /** Says this replica is alive: a poll calls a request lost only when its owner's beat has stopped. */
  private async beat(): Promise<void> {
    await this.commands.set(this.heartbeatKey(this.replicaId), '1', 'PX', HEARTBEAT_TTL_MS);
  }

  private heartbeatKey(replicaId: string): string {
    return `${this.prefix}replica:${replicaId}`;
  }

  private corrKey(id: string): string {
    return `${this.prefix}corr:${id}`;
  }

  private requestKey(id: string): string {
    return `${this.prefix}request:${id}`;
  }

  private replyKey(id: string): string {
    return `${this.prefix}reply:${id}`;
  }

  private channel(replicaId: string): string {
    return `${this.prefix}replies:${replicaId}`;
  }
}

// A correlation record names the replica holding the request: `<replica>` until its command is
// published, `<replica>#sent` after. A request whose owner died before sending it had no effect; a poll
// finds that out (the owner's heartbeat has stopped) and marks the record lost, which frees the ID.
const SENT = '#sent';
const LOST = '#lost';
const HEARTBEAT_INTERVAL_MS = 1_000;
const HEARTBEAT_TTL_MS = 5_000;

/** The scripts below, as `defineCommand` adds them to the client. */
interface Scripts {
  shopClaim(
    record: string,
    reply: string,
    request: string,
    replica: string,
    ttlMs: number,
    lost: string,
    requestValue: string,
  ): Promise<number>;
  shopPollBuffer(
    reply: string,
    record: string,
    heartbeatPrefix: string,
    sent: string,
    lost: string,
  ): Promise<[number, Buffer?]>;
}

/** The replica that holds a request, from its correlation record; undefined once it is lost. */
function ownerOf(record: string): string | undefined {
  if (record === LOST) return undefined;
  return record.endsWith(SENT) ? record.slice(0, -SENT.length) : record;
}

/**
 * Claims a correlation ID for this replica unless it is in use: parked anywhere, or its reply still kept.
 * One script, so that two replicas given the same client-chosen ID cannot both claim it, and so that
 * the request it is claimed for is recorded with the claim.
 * KEYS: record, reply, request. ARGV: replica, ttl in ms, the lost marker, the request ('' for none).
 * Returns 1 when claimed.
 */
const CLAIM_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local record = redis.call('GET', KEYS[1])
if record and record ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[4] == '' then redis.call('DEL', KEYS[3]) else redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[2]) end
return 1`;

/**
 * A poll, in one step so that the verdict is consistent. KEYS: reply, record. ARGV: heartbeat key
 * prefix (the owner is read from the record, so its key cannot be declared: this needs a single Redis,
 * not a cluster), the sent suffix, the lost marker.
 * Returns {1, reply} | {2} pending | {3} lost | {0} unknown.
 */
const POLL_SCRIPT = `
local reply = redis.call('GET', KEYS[1])
if reply then return {1, reply} end
local record = redis.call('GET', KEYS[2])
if not record then return {0} end
if record == ARGV[3] then return {3} end
local n = string.len(ARGV[2])
if string.sub(record, -n) == ARGV[2] then return {2} end
if redis.call('EXISTS', ARGV[1] .. record) == 1 then return {2} end
redis.call('SET', KEYS[2], ARGV[3], 'KEEPTTL')
return {3}`;

/** A reply on the wire: the id's length (2 bytes, big-endian), the id in UTF-8, then the reply as is. */
function frame(id: string, reply: Buffer): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const out = Buffer.allocUnsafe(2 + idBytes.length + reply.length);
  out.writeUInt16BE(idBytes.length, 0);
  idBytes.copy(out, 2);
  reply.copy(out, 2 + idBytes.length);
  return out;
}

function unframe(message: Buffer): { id: string; reply: Uint8Array } | undefined {
  if (message.length < 2) return undefined;
  const end = 2 + message.readUInt16BE(0);
  if (message.length < end) return undefined;
  // A copy, so that the reply does not share memory with the connection's read buffers.
  return { id: message.toString('utf8', 2, end), reply: new Uint8Array(message.subarray(end)) };
}

/** The results of a pipeline, or its first failure. */
async function exec(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return results.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}

function ready(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'wait') return client.connect();
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      client.off('ready', settle);
      client.off('error', settle);
      client.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    };
    const onEnd = () => settle(new Error('the Redis connection ended before it was ready'));
    client.once('ready', settle);
    client.once('error', settle);
    client.once('end', onEnd);
  });
}

async function quit(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  // Short of ready (Redis down, or never reached) there is nothing to flush: just stop reconnecting.
  if (client.status !== 'ready') return client.disconnect();
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
