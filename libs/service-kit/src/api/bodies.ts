import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_QUANTITY } from '@shop/protos';
import { ENTITY_ID_PATTERN } from './params';

// The JSON bodies the API answers with, as JSON Schema: the OpenAPI description is built from these and
// the API suite checks every response against them. Every field is required: a zero or a false is sent,
// never left out.

const Id = (description: string) => Type.String({ pattern: ENTITY_ID_PATTERN, description });
const Amount = (description: string) => Type.Integer({ minimum: 0, maximum: MAX_QUANTITY, description });
const strict = <T extends Record<string, TSchema>>(properties: T, description: string) =>
  Type.Object(properties, { additionalProperties: false, description });

export const ErrorBody = strict(
  {
    error: Type.String({ description: 'what was wrong, for people' }),
    code: Type.String({ pattern: '^SHOP_ERR_[A-Z_]+$', description: 'what was wrong, for programs' }),
  },
  'A refusal',
);
export type ErrorBody = Static<typeof ErrorBody>;

export const UserCreated = strict({ user_id: Id('the new user') }, 'The user is created with 0 credit');
export const ItemCreated = strict({ item_id: Id('the new item') }, 'The item is created with 0 stock');
export const OrderCreated = strict({ order_id: Id('the new order') }, 'The order is created, empty');

// Written by hand: TypeBox writes tuples in draft-07's form, and OpenAPI 3.1 speaks JSON Schema 2020-12.
const Line = Type.Unsafe<[string, number]>({
  type: 'array',
  prefixItems: [Id('an item'), Type.Integer({ minimum: 1, maximum: MAX_QUANTITY, description: 'quantity' })],
  items: false,
  minItems: 2,
  maxItems: 2,
});

export const User = strict(
  { user_id: Id('the user'), credit: Amount('credit, in the smallest unit of money') },
  'A user and their credit',
);
export const Item = strict(
  { item_id: Id('the item'), stock: Amount('units in stock'), price: Amount('price of one unit') },
  'An item',
);
export const StockLevel = strict({ item_id: Id('the item'), stock: Amount('units in stock') }, 'Stock');
export const Order = strict(
  {
    order_id: Id('the order'),
    paid: Type.Boolean({ description: 'whether checkout completed' }),
    items: Type.Array(Line, {
      description: '[item_id, quantity] for each line, in the order they were first added',
    }),
    user_id: Id('who the order is for'),
    total_cost: Amount('the sum of quantity × unit price over the lines'),
  },
  'An order',
);
export const PaymentStatus = strict(
  { paid: Type.Boolean({ description: 'whether the order is paid' }) },
  'Payment status',
);
export const Success = strict({ success: Type.Literal(true) }, 'Done');
export const BatchDone = strict(
  {
    success: Type.Literal(true),
    count: Type.Integer({ minimum: 0, description: 'how many entities were created or reset' }),
  },
  'The batch is done',
);
/** A reply to an HTTP ingress request, polled through the REST port's /replies/{id}. */
export const IngressMessage = strict(
  {
    typename: Type.String({ description: 'the reply\'s type, "namespace/name"' }),
    value: Type.String({ contentEncoding: 'base64', description: "the reply's bytes" }),
  },
  "An HTTP ingress request's reply",
);

/** A request whose reply is late: it is still coming, and is polled at the Location given. */
export const Accepted = strict(
  { correlation_id: Type.String({ format: 'uuid', description: 'what to poll: GET /replies/{id}' }) },
  'The reply is late: poll the Location header',
);
export const Pending = strict(
  { correlation_id: Type.String({ format: 'uuid' }), status: Type.Literal('pending') },
  'The reply has not come yet',
);
