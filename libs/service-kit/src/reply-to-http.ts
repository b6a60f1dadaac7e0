import { httpStatusOf, type Reply } from '@shop/protos';

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The one mapping from a function's reply to what the REST client sees. Every field is named here, one
 * by one: proto3 does not send a zero, false or empty value, and decoding gives it back as the default, so
 * a body built from what was on the wire would lose it.
 */
export function replyToHttp(reply: Reply): HttpAnswer {
  const { kind, value } = reply.result;
  switch (kind) {
    case 'error':
      return { status: httpStatusOf(value.code), body: { error: value.message, code: value.code } };
    case 'user_created':
      return { status: 201, body: { user_id: value.user_id } };
    case 'item_created':
      return { status: 201, body: { item_id: value.item_id } };
    case 'order_created':
      return { status: 201, body: { order_id: value.order_id } };
    case 'user':
      return { status: 200, body: { user_id: value.user_id, credit: value.credit } };
    case 'item':
      return { status: 200, body: { item_id: value.item_id, stock: value.stock, price: value.price } };
    case 'stock_level':
      return { status: 200, body: { item_id: value.item_id, stock: value.stock } };
    case 'order':
      return {
        status: 200,
        body: {
          order_id: value.order_id,
          paid: value.paid,
          items: value.items.map((line) => [line.item_id, line.quantity]),
          user_id: value.user_id,
          total_cost: value.total_cost,
        },
      };
    case 'payment_status':
      return { status: 200, body: { paid: value.paid } };
    case 'success':
      return { status: 200, body: { success: true } };
    case 'batch_done':
      return { status: 200, body: { success: true, count: value.count } };
    case 'message':
      // An HTTP ingress request's answer, polled through /replies: its type, and its bytes in base64.
      // (GET /in/replies/<id> on the ingress answers it with the bytes as they are.)
      return {
        status: 200,
        body: { typename: value.typename, value: Buffer.from(value.value).toString('base64') },
      };
  }
}
