import type { Response } from 'express';
import { v4 as uuid, validate as isUuid } from 'uuid';
import { ReplyCodec } from '@shop/protos';
import type { Broker } from '@shop/broker';
import {
  ShopError,
  replyToHttp,
  type Ingress,
  type IngressCommand,
  type ReadReplies,
} from '@shop/service-kit';
import type { CorrelationStore, Parked } from './correlation/correlation-store';

/** Where a request that outlives its wait can be polled. */
export const repliesPath = (correlationId: string): string => `/replies/${correlationId}`;

/**
 * The header that names a request's correlation ID. A client may choose it (a UUID): then, should the
 * gateway replica holding its request die, the client still knows what to poll. Every answer carries it.
 */
export const CORRELATION_HEADER = 'X-Correlation-ID';

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
  ) {}

  async dispatch<C extends { correlation_id: string }>(
    res: Response,
    command: IngressCommand<C>,
  ): Promise<void> {
    const correlationId = chosenCorrelationId(res) ?? uuid();
    res.set(CORRELATION_HEADER, correlationId);
    const value = command.codec.encode(command.build(correlationId, this.readReplies === 'fast'));
    let parked: Parked | undefined;
    try {
      // Parked before publishing: a reply can never arrive for a request nobody has recorded.
      parked = await this.store.park(correlationId, this.replyTimeoutMs);
      if (parked) await this.broker.publish(command.topic, command.key, value);
    } catch (cause) {
      // Not sent, and never will be: a poll must not wait for this request. Its record just expires.
      throw new ShopError('UNAVAILABLE', 'the shop cannot take requests right now; retry later', { cause });
    }
    if (!parked) {
      throw new ShopError(
        'CORRELATION_ID_IN_USE',
        `${CORRELATION_HEADER} ${correlationId} names another request still known here; choose a fresh UUID`,
      );
    }
    // Only a death of this replica before this point lets a poll call the request lost.
    await parked.sent().catch(() => undefined);
    const reply = await parked.reply;
    if (reply === undefined) {
      res.status(202).location(repliesPath(correlationId)).json({ correlation_id: correlationId });
      return;
    }
    const answer = replyToHttp(ReplyCodec.decode(reply));
    res.status(answer.status).json(answer.body);
  }
}

/** The client's own correlation ID, in the one spelling the store keys on; undefined when none is sent. */
function chosenCorrelationId(res: Response): string | undefined {
  const chosen = res.req.get(CORRELATION_HEADER);
  if (chosen === undefined) return undefined;
  if (!isUuid(chosen)) {
    throw new ShopError('BAD_REQUEST', `${CORRELATION_HEADER} must be a UUID, got "${chosen}"`);
  }
  return chosen.toLowerCase();
}
