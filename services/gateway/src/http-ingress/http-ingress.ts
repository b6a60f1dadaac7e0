import express, { type Request, type Response, type Router } from 'express';
import { v4 as uuid, validate as isUuid } from 'uuid';
import {
  ErrorCodes,
  HttpIngress,
  HttpIngressMessageCodec,
  HttpIngressTargets,
  ReplyCodec,
  StringWrapperCodec,
  Topics,
  type Codec,
  type TypedMessage,
} from '@shop/protos';
import type { Broker } from '@shop/broker';
import { ShopError } from '@shop/service-kit';
import type { CorrelationStore, Parked } from '../correlation/correlation-store';
import { jsonErrors } from '../json-errors';
import { messageOf } from './message';

/** The response header that names an accepted message's correlation ID (FLINK-23301). */
export const REQUEST_CORRELATION_HEADER = 'StateFun-Request-Correlation-ID';

export interface HttpIngressOptions {
  broker: Broker;
  store: CorrelationStore;
  /** The path prefix, without slashes: `in` serves `/in/<namespace>/<type>/<id>` and `/in/replies/<id>`. */
  pathPrefix: string;
  /** The function types it may send to, and the message types each takes (default HttpIngressTargets). */
  targets?: ReadonlyMap<string, readonly Codec<unknown>[]>;
  /** The largest body it reads (default 1 MiB); larger ones are refused with 413. */
  bodyLimitBytes?: number;
  onError?: (error: unknown) => void;
}

/** Where the reply to `correlationId` is polled. */
export const ingressRepliesPath = (pathPrefix: string, correlationId: string): string =>
  `/${pathPrefix}/replies/${correlationId}`;

function methodNotAllowed(allow: string) {
  return (req: Request, res: Response) => {
    res
      .status(ErrorCodes.METHOD_NOT_ALLOWED.status)
      .set('Allow', allow)
      .json({
        error: `${req.method} is not allowed on ${req.originalUrl.split('?')[0]}: use ${allow}`,
        code: ErrorCodes.METHOD_NOT_ALLOWED.code,
      });
  };
}

/** The bytes of a decoded `bytes` field: protobufjs leaves an absent one as an empty plain array. */
function bytesOf(value: Uint8Array | null | undefined): Buffer {
  return value ? Buffer.from(value) : Buffer.alloc(0);
}

/** A reply as the poll answers it: StateFun's string type as UTF-8 text, any other type as its bytes. */
function sendMessage(res: Response, message: TypedMessage): void {
  if (message.typename === HttpIngress.textTypename) {
    const text = StringWrapperCodec.decode(bytesOf(message.value)).value;
    res.status(200).setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(text);
    return;
  }
  // A typename is `namespace/name`, a valid media type; anything else could not be a header value.
  const printable = /^[\x21-\x7e]+$/.test(message.typename);
  res.status(200).setHeader('Content-Type', printable ? message.typename : 'application/octet-stream');
  res.end(bytesOf(message.value));
}

/**
 * The HTTP ingress (FLINK-23301's design, on the gateway): `POST /<prefix>/<namespace>/<type>/<id>` sends
 * the body, typed by its Content-Type, to that function address and answers 200 at once with the
 * message's correlation ID in `StateFun-Request-Correlation-ID`; `GET /<prefix>/replies/<id>` polls for
 * what the function answered. The message goes out on `shop-http-in`, keyed by the correlation ID, to the
 * paired egress, which sends it on with itself (`egress/<paired egress>/<correlation id>`) as the caller.
 */
export function httpIngressRoutes(options: HttpIngressOptions): Router {
  const { broker, store, pathPrefix } = options;
  const targets = options.targets ?? HttpIngressTargets;
  const routes = express.Router();

  routes.get('/replies/:correlation_id', async (req, res) => {
    const id = req.params.correlation_id;
    if (!isUuid(id)) throw new ShopError('BAD_REQUEST', `correlation_id must be a UUID, got "${id}"`);
    const correlationId = id.toLowerCase();
    res.set(REQUEST_CORRELATION_HEADER, correlationId);
    const found = await store.poll(correlationId);
    if (!found)
      throw new ShopError('REPLY_NOT_FOUND', `no request ${id} is known here, or its reply expired`);
    if (found.status === 'pending') {
      res.status(202).json({ correlation_id: correlationId, status: 'pending' });
      return;
    }
    if (found.status === 'lost') {
      throw new ShopError('REQUEST_LOST', `request ${id} was never sent: its gateway replica stopped first`);
    }
    const reply = ReplyCodec.decode(found.reply);
    if (reply.result.kind !== 'message') {
      // A REST request's reply: its own poll is /replies/<id> on the REST port.
      throw new ShopError('REPLY_NOT_FOUND', `${id} is not a request of the HTTP ingress`);
    }
    sendMessage(res, reply.result.value);
  });
  routes.all('/replies/:correlation_id', methodNotAllowed('GET, HEAD'));

  routes.post(
    '/:namespace/:type/:id',
    express.raw({ type: () => true, limit: options.bodyLimitBytes ?? 1024 * 1024 }),
    async (req, res) => {
      const { namespace, type, id } = req.params as { namespace: string; type: string; id: string };
      const functionType = `${namespace}/${type}`;
      const accepted = targets.get(functionType);
      if (!accepted) {
        throw new ShopError(
          'FUNCTION_NOT_FOUND',
          `no function ${functionType} is reachable through this ingress`,
        );
      }
      const body: unknown = req.body;
      const message = messageOf(req.get('content-type'), Buffer.isBuffer(body) ? body : new Uint8Array(0));
      const codec = accepted.find((c) => c.typename === message.typename);
      if (!codec) {
        throw new ShopError(
          'UNSUPPORTED_TYPE',
          `${functionType} does not accept ${message.typename}; it accepts ${accepted.map((c) => c.typename).join(', ')}`,
        );
      }
      try {
        codec.decode(message.value);
      } catch (error) {
        throw new ShopError(
          'BAD_REQUEST',
          `the body is not a ${message.typename}: ${(error as Error).message}`,
        );
      }

      const correlationId = uuid();
      const envelope = HttpIngressMessageCodec.encode({ target: { namespace, type, id }, message });
      let parked: Parked | undefined;
      try {
        parked = await store.park(correlationId, 0);
        if (parked) {
          // Nobody waits here (the answer is only the correlation ID): the wait ends at once, and the
          // record stays pending until the reply is stored under it for polling.
          await parked.reply;
          await broker.publish(Topics.httpIn, correlationId, envelope);
        }
      } catch (cause) {
        throw new ShopError('UNAVAILABLE', 'the shop cannot take messages right now; retry later', { cause });
      }
      // A fresh random UUID is in use only if the store has failed us: nothing was sent.
      if (!parked) throw new ShopError('UNAVAILABLE', 'no correlation ID could be reserved; retry');
      await parked.sent().catch(() => undefined);
      res
        .status(200)
        .set(REQUEST_CORRELATION_HEADER, correlationId)
        .location(ingressRepliesPath(pathPrefix, correlationId))
        .end();
    },
  );
  routes.all('/:namespace/:type/:id', methodNotAllowed('POST'));

  routes.use((req, res) => {
    res.status(ErrorCodes.ROUTE_NOT_FOUND.status).json({
      error: `no route ${req.method} ${req.originalUrl.split('?')[0]}: send with POST /${pathPrefix}/<namespace>/<type>/<id>, poll with GET /${pathPrefix}/replies/<correlation id>`,
      code: ErrorCodes.ROUTE_NOT_FOUND.code,
    });
  });

  routes.use(jsonErrors(options.onError));

  const mounted = express.Router();
  mounted.use(`/${pathPrefix}`, routes);
  return mounted;
}
