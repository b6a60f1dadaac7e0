import type { Response } from 'express';
import { v4 as uuid } from 'uuid';
import { ReplyCodec } from '@shop/protos';
import type { Broker } from '@shop/broker';
import { ShopError, replyToHttp, type Ingress, type IngressCommand } from '@shop/service-kit';
import type { CorrelationStore } from './correlation/correlation-store';

/** Where a request that outlives its wait can be polled. */
export const repliesPath = (correlationId: string): string => `/replies/${correlationId}`;

/**
 * The gateway's side of every REST call: park the request under a fresh correlation ID, publish its
 * command, and answer with the reply — or with 202 and a poll location when the reply is late.
 * Nothing blocks while waiting; the request is just a pending promise.
 */
export class GatewayIngress implements Ingress {
  constructor(
    private readonly broker: Broker,
    private readonly store: CorrelationStore,
    private readonly replyTimeoutMs: number,
  ) {}

  async dispatch<C extends { correlation_id: string }>(
    res: Response,
    command: IngressCommand<C>,
  ): Promise<void> {
    const correlationId = uuid();
    const value = command.codec.encode(command.build(correlationId));
    let parked;
    try {
      parked = await this.store.park(correlationId, this.replyTimeoutMs);
      await this.broker.publish(command.topic, command.key, value);
    } catch (cause) {
      throw new ShopError('UNAVAILABLE', 'the shop cannot take requests right now; retry later', { cause });
    }
    const reply = await parked.reply;
    if (reply === undefined) {
      res.status(202).location(repliesPath(correlationId)).json({ correlation_id: correlationId });
      return;
    }
    const answer = replyToHttp(ReplyCodec.decode(reply));
    res.status(answer.status).json(answer.body);
  }
}
