import type { Response } from 'express';
import type { Codec, IngressTopic } from '@shop/protos';

/** One command for one entity: the topic of its domain, the entity id as key, and the envelope to send. */
export interface IngressCommand<C extends { correlation_id: string }> {
  topic: IngressTopic;
  key: string;
  codec: Codec<C>;
  /**
   * Builds the envelope once the gateway has chosen the request's correlation ID. `fastReadReply`: the
   * gateway takes the reply to a read from the read egress (READ_REPLIES=fast; see protos/shop.proto).
   */
  build(correlationId: string, fastReadReply: boolean): C;
}

/**
 * What a domain service may do with a request: hand it to the ingress and let the gateway answer it
 * with the reply. Services own validation and the shape of the command; nothing else.
 */
export interface Ingress {
  dispatch<C extends { correlation_id: string }>(res: Response, command: IngressCommand<C>): Promise<void>;
}
