import express, { type Request, type Response, type Router } from 'express';
import { Type } from '@sinclair/typebox';
import { v4 as uuid } from 'uuid';
import {
  ErrorCodes,
  HttpIngress,
  HttpIngressMessageCodec,
  HttpIngressTargets,
  StringWrapperCodec,
  Topics,
  type Codec,
  type TypedMessage,
} from '@shop/protos';
import type { Broker } from '@shop/broker';
import {
  Pending,
  ShopError,
  openApiDocument,
  openApiOperation,
  operation,
  operationsRouter,
  uuidParam,
  type OpenApiDocument,
  type Operation,
  type PathParam,
} from '@shop/service-kit';
import { Registry, noteCorrelationId } from '@shop/observability';
import type { CorrelationStore, Parked } from '../correlation/correlation-store';
import { gatewayMetrics, timedBroker, timedStore, type GatewayMetrics } from '../gateway-metrics';
import { pollReply } from '../correlation/poll-reply';
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
  /** Shown in its OpenAPI description. */
  version?: string;
  /** The largest body it reads (default 1 MiB); larger ones are refused with 413. */
  bodyLimitBytes?: number;
  onError?: (error: unknown) => void;
  /** Where its publish, store and poll metrics go (default a registry nobody reads). */
  metrics?: GatewayMetrics;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Where the reply to `correlationId` is polled. */
export const ingressRepliesPath = (pathPrefix: string, correlationId: string): string =>
  `/${pathPrefix}/replies/${correlationId}`;

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

/** A path segment of a function address: StateFun's namespace, type or id, as the URL carries it. */
const segment = (description: string): PathParam<string> => ({
  schema: Type.String({ minLength: 1 }),
  description,
  parse: (raw) => raw,
});

/** Reads the body as bytes, up to `limit`; a larger one is refused with 413 by the parser. */
function readBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  const parse = express.raw({ type: () => true, limit });
  return new Promise((resolve, reject) => {
    parse(req, res, (error?: unknown) => {
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    });
  });
}

/**
 * The HTTP ingress (FLINK-23301's design, on the gateway): `POST /<prefix>/<namespace>/<type>/<id>` sends
 * the body, typed by its Content-Type, to that function address and answers 200 at once with the
 * message's correlation ID in `StateFun-Request-Correlation-ID`; `GET /<prefix>/replies/<id>` polls for
 * what the function answered. The message goes out on `shop-http-in`, keyed by the correlation ID, to the
 * paired egress, which sends it on with itself (`egress/<paired egress>/<correlation id>`) as the caller.
 */
export function httpIngressOperations(options: HttpIngressOptions): Operation[] {
  const { pathPrefix } = options;
  const metrics = options.metrics ?? gatewayMetrics(new Registry());
  const broker = timedBroker(options.broker, metrics);
  const store = timedStore(options.store, metrics);
  const targets = options.targets ?? HttpIngressTargets;
  const tag = 'http-ingress';
  const correlationHeader = {
    description: "the message's correlation ID: what to poll",
    schema: Type.String({ format: 'uuid' }),
  };
  return [
    operation(
      {
        method: 'get',
        path: `/${pathPrefix}/replies/{correlation_id}`,
        operationId: 'pollIngressReply',
        tag,
        summary: "A message's reply, as the function sent it",
        description:
          "StateFun's string type comes as `text/plain; charset=utf-8`; any other type as its bytes, with " +
          'the type name as Content-Type. Any gateway replica answers.',
        params: { correlation_id: uuidParam('the correlation ID the message was accepted with') },
        responses: {
          200: {
            description: 'The reply',
            body: Type.String(),
            contentType: '*/*',
            headers: { [REQUEST_CORRELATION_HEADER]: correlationHeader },
          },
          202: { description: 'Not answered yet', body: Pending },
        },
        errors: ['BAD_REQUEST', 'REPLY_NOT_FOUND', 'REQUEST_LOST', 'UNAVAILABLE'],
        mutating: false,
      },
      async ({ correlation_id: correlationId }, _req, res) => {
        res.set(REQUEST_CORRELATION_HEADER, correlationId);
        const reply = await pollReply(store, correlationId, res, metrics);
        if (!reply) return;
        if (reply.result.kind !== 'message') {
          // A REST request's reply: its own poll is /replies/<id> on the REST port.
          throw new ShopError('REPLY_NOT_FOUND', `${correlationId} is not a request of the HTTP ingress`);
        }
        sendMessage(res, reply.result.value);
      },
    ),
    operation(
      {
        method: 'post',
        path: `/${pathPrefix}/{namespace}/{type}/{id}`,
        operationId: 'sendIngressMessage',
        tag,
        summary: 'Send the body to a function address; answered at once with the correlation ID',
        description:
          'The body is typed by its Content-Type: `text/plain` becomes a StateFun string, ' +
          '`application/vnd.<namespace>.<Type>+protobuf` (or `application/x-protobuf; messageType=…`) that ' +
          `protobuf message. Reachable functions: ${[...targets.keys()].join(', ')}.`,
        params: {
          namespace: segment("the function type's namespace"),
          type: segment("the function type's name"),
          id: segment('the instance: any id'),
        },
        responses: {
          200: {
            description: 'Accepted: the message is on its way; poll the Location for the reply',
            headers: {
              [REQUEST_CORRELATION_HEADER]: correlationHeader,
              Location: { description: `/${pathPrefix}/replies/{correlation_id}`, schema: Type.String() },
            },
          },
        },
        errors: ['BAD_REQUEST', 'FUNCTION_NOT_FOUND', 'UNSUPPORTED_TYPE', 'PAYLOAD_TOO_LARGE', 'UNAVAILABLE'],
        mutating: true,
        requestBody: {
          description:
            `the message, at most ${options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT} bytes: text, or a protobuf ` +
            'message typed as `application/vnd.<namespace>.<Type>+protobuf`',
          contentTypes: ['text/plain'],
        },
      },
      async ({ namespace, type, id }, req, res) => {
        const functionType = `${namespace}/${type}`;
        const accepted = targets.get(functionType);
        if (!accepted) {
          throw new ShopError(
            'FUNCTION_NOT_FOUND',
            `no function ${functionType} is reachable through this ingress`,
          );
        }
        const body = await readBody(req, res, options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT);
        const message = messageOf(req.get('content-type'), body);
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
        noteCorrelationId(res, correlationId);
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
          throw new ShopError('UNAVAILABLE', 'the shop cannot take messages right now; retry later', {
            cause,
          });
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
    ),
  ];
}

/** The ingress's own description, served at `GET /<prefix>/openapi.json` on the ingress's listener. */
export function httpIngressDocument(operations: readonly Operation[], version: string): OpenApiDocument {
  return openApiDocument(operations, {
    title: 'statefun-shop HTTP ingress',
    version,
    description:
      "StateFun's HTTP ingress (FLINK-23301), on the gateway: any reachable function gets a message over HTTP " +
      'and answers it through Kafka; the reply is polled by correlation ID.',
    tags: [{ name: 'http-ingress', description: 'Messages to functions, and their replies' }],
  });
}

/** The ingress's routes, under `/<prefix>`, with its description; what it does not route is a JSON 404. */
export function httpIngressRoutes(options: HttpIngressOptions): Router {
  const { pathPrefix } = options;
  const messages = httpIngressOperations(options);
  const described = openApiOperation(
    `/${pathPrefix}/openapi.json`,
    'ingressOpenapi',
    'http-ingress',
    () => document,
  );
  const all = [described, ...messages];
  const document = httpIngressDocument(all, options.version ?? '0');
  const routes = express.Router({ caseSensitive: true, strict: true });
  routes.use(operationsRouter(all));
  routes.use(`/${pathPrefix}`, (req, res) => {
    res.status(ErrorCodes.ROUTE_NOT_FOUND.status).json({
      error: `no route ${req.method} ${req.originalUrl.split('?')[0]}: send with POST /${pathPrefix}/<namespace>/<type>/<id>, poll with GET /${pathPrefix}/replies/<correlation id>`,
      code: ErrorCodes.ROUTE_NOT_FOUND.code,
    });
  });
  routes.use(jsonErrors(options.onError));
  return routes;
}
