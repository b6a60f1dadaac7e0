import type { Response } from 'express';
import { ReplyCodec, type Reply } from '@shop/protos';
import { ShopError } from '@shop/service-kit';
import { noteCorrelationId } from '@shop/observability';
import type { GatewayMetrics } from '../gateway-metrics';
import type { CorrelationStore } from './correlation-store';

/**
 * A poll for `id`, as both poll routes answer it: the decoded reply when it is in; otherwise 202 is sent
 * here (pending) and undefined returned, or the refusal is thrown (unknown or expired, lost, store down).
 */
export async function pollReply(
  store: CorrelationStore,
  id: string,
  res: Response,
  metrics: Pick<GatewayMetrics, 'lost'>,
): Promise<Reply | undefined> {
  noteCorrelationId(res, id);
  const found = await store.poll(id).catch((cause: unknown) => {
    throw new ShopError('UNAVAILABLE', 'replies cannot be read right now; retry later', { cause });
  });
  if (!found) throw new ShopError('REPLY_NOT_FOUND', `no request ${id} is known here, or its reply expired`);
  if (found.status === 'pending') {
    res.status(202).json({ correlation_id: id, status: 'pending' });
    return undefined;
  }
  if (found.status === 'lost') {
    metrics.lost.inc();
    throw new ShopError(
      'REQUEST_LOST',
      `request ${id} was never sent: the gateway replica holding it stopped first; send it again`,
    );
  }
  return ReplyCodec.decode(found.reply);
}
