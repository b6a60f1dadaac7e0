import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { v4 as uuid, v5 as uuidFromName } from 'uuid';
import { ReplyCodec } from '@shop/protos';
import type { Broker } from '@shop/broker';
import {
  CORRELATION_HEADER,
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_KEY_PATTERN,
  REPLAYED_HEADER,
  ShopError,
  isUuid,
  replyToHttp,
  type Ingress,
  type IngressCommand,
  type ReadReplies,
} from '@shop/service-kit';
import { noteCorrelationId } from '@shop/observability';
import type { CorrelationStore, Parked } from './correlation/correlation-store';
import type { GatewayMetrics } from './gateway-metrics';

/** Where a request that outlives its wait can be polled. */
export const repliesPath = (correlationId: string): string => `/replies/${correlationId}`;

/** Idempotency keys become correlation IDs in a namespace of their own (UUID v5), so any replica derives the same one. */
const IDEMPOTENCY_NAMESPACE = '6f2b1c7e-3a5d-5e9f-8b4a-1c2d3e4f5a6b';
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** The correlation ID a request is sent under, and what it must match if that ID is already in use. */
interface Claim {
  correlationId: string;
  /** Set for an Idempotency-Key: the request's fingerprint, which a retry must repeat exactly. */
  request?: string;
}

/**
 * The gateway's side of every REST call: park the request under its correlation ID, publish its
 * command, and answer with the reply — or with 202 and a poll location when the reply is late.
 * Nothing blocks while waiting; the request is just a pending promise.
 */
export class GatewayIngress implements Ingress {
  constructor(
    private readonly broker: Broker,
    private readonly store: CorrelationStore,
    private readonly replyTimeoutMs: number,
    private readonly readReplies: ReadReplies,
    private readonly metrics: GatewayMetrics,
  ) {}

  async dispatch<C extends { correlation_id: string }>(
    res: Response,
    command: IngressCommand<C>,
  ): Promise<void> {
    const { correlationId, request } = claimOf(res.req);
    res.set(CORRELATION_HEADER, correlationId);
    noteCorrelationId(res, correlationId);
    const value = command.codec.encode(command.build(correlationId, this.readReplies === 'fast'));
    let parked: Parked | undefined;
    try {
      // Parked before publishing: a reply can never arrive for a request nobody has recorded.
      parked = await this.store.park(correlationId, this.replyTimeoutMs, request);
      if (parked) await this.broker.publish(command.topic, command.key, value);
    } catch (cause) {
      // Not sent, and never will be: a poll must not wait for this request. Its record just expires.
      throw new ShopError('UNAVAILABLE', 'the shop cannot take requests right now; retry later', { cause });
    }
    if (!parked) {
      if (request === undefined) {
        throw new ShopError(
          'CORRELATION_ID_IN_USE',
          `${CORRELATION_HEADER} ${correlationId} names another request still known here; choose a fresh UUID`,
        );
      }
      await this.replay(res, correlationId, request);
      return;
    }
    this.metrics.parked.inc();
    let reply: Uint8Array | undefined;
    try {
      // Only a death of this replica before this point lets a poll call the request lost.
      await parked.sent().catch(() => undefined);
      reply = await parked.reply;
    } finally {
      this.metrics.parked.dec();
    }
    if (reply === undefined) {
      this.metrics.late.inc();
      res.status(202).location(repliesPath(correlationId)).json({ correlation_id: correlationId });
      return;
    }
    const answer = replyToHttp(ReplyCodec.decode(reply));
    res.status(answer.status).json(answer.body);
  }

  /** A retry under an Idempotency-Key already used: the first answer again, if it is the same request. */
  private async replay(res: Response, correlationId: string, request: string): Promise<void> {
    const key = res.req.get(IDEMPOTENCY_HEADER);
    let first: string | undefined;
    let found: Awaited<ReturnType<CorrelationStore['poll']>>;
    try {
      [first, found] = await Promise.all([
        this.store.requestOf(correlationId),
        this.store.poll(correlationId),
      ]);
    } catch (cause) {
      throw new ShopError('UNAVAILABLE', 'the shop cannot take requests right now; retry later', { cause });
    }
    if (first !== undefined && first !== request) {
      throw new ShopError(
        'IDEMPOTENCY_KEY_REUSED',
        `${IDEMPOTENCY_HEADER} "${key}" was used for another request; use a fresh key for each request`,
      );
    }
    if (found?.status !== 'done') {
      // Still running (or, in a narrow race, just expired or lost): either way, a retry later settles it.
      throw new ShopError(
        'IDEMPOTENT_REQUEST_IN_PROGRESS',
        `the request with ${IDEMPOTENCY_HEADER} "${key}" is still running; retry later for its answer`,
      );
    }
    const answer = replyToHttp(ReplyCodec.decode(found.reply));
    res.status(answer.status).set(REPLAYED_HEADER, 'true').json(answer.body);
  }
}

/**
 * The correlation ID for this request: derived from its Idempotency-Key, the client's own, or a fresh one.
 * A key only counts on a mutating request; reads are repeatable as they are.
 */
function claimOf(req: Request): Claim {
  const chosen = req.get(CORRELATION_HEADER);
  const key = req.method === 'GET' || req.method === 'HEAD' ? undefined : req.get(IDEMPOTENCY_HEADER);
  if (chosen !== undefined && !isUuid(chosen)) {
    throw new ShopError('BAD_REQUEST', `${CORRELATION_HEADER} must be a UUID, got "${chosen}"`);
  }
  if (key === undefined) return { correlationId: chosen?.toLowerCase() ?? uuid() };
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ShopError(
      'BAD_REQUEST',
      `${IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII characters, got ${JSON.stringify(key.slice(0, 300))}`,
    );
  }
  if (chosen !== undefined) {
    throw new ShopError('BAD_REQUEST', `send ${IDEMPOTENCY_HEADER} or ${CORRELATION_HEADER}, not both`);
  }
  const request = createHash('sha256').update(`${req.method} ${req.originalUrl}`).digest('base64url');
  return { correlationId: uuidFromName(key, IDEMPOTENCY_NAMESPACE), request };
}
