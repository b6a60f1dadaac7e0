import {
  envelopeCodec,
  messageCodec,
  type EntityCommand,
  type EntityCommandFields,
  type Envelope,
} from './codec';

// TypeScript mirrors of protos/shop.proto. A round-trip test encodes each one through protobufjs,
// so a field renamed on one side and not the other fails the build's tests.

export type Empty = Record<string, never>;
export interface Amount {
  amount: number;
}
export interface OrderRef {
  order_id: string;
}

export interface CreateUser {
  credit: number;
  reset: boolean;
}
export interface Payment {
  order_id: string;
  amount: number;
}
export interface UserCommands {
  create: CreateUser;
  find: Empty;
  remove: Empty;
  add_credit: Amount;
  subtract_credit: Amount;
  pay: Payment;
  cancel_payment: OrderRef;
  payment_status: OrderRef;
}
export type UserCommand = EntityCommand<UserCommands>;

export interface CreateItem {
  price: number;
  stock: number;
  reset: boolean;
}
export interface ItemCommands {
  create: CreateItem;
  find: Empty;
  availability: Empty;
  add_stock: Amount;
  subtract_stock: Amount;
  reserve: Amount;
  release: Amount;
}
export type ItemCommand = EntityCommand<ItemCommands>;

export interface OrderLine {
  item_id: string;
  quantity: number;
  unit_price: number;
}
export interface OrderCommands {
  create: { user_id: string };
  find: Empty;
  remove: Empty;
  add_item: { item_id: string; quantity: number };
  remove_item: { item_id: string };
  checkout: Empty;
  seed: { user_id: string; lines: OrderLine[] };
  payment_cancelled: Empty;
}
export type OrderCommand = EntityCommand<OrderCommands>;

export interface BatchCommands {
  users: { n: number; starting_money: number };
  items: { n: number; starting_stock: number; item_price: number };
  orders: { n: number; n_items: number; n_users: number; item_price: number };
}
export type BatchCommand = Envelope<'command', BatchCommands>;

export interface ErrorBody {
  code: string;
  message: string;
}
export interface UserView {
  user_id: string;
  credit: number;
}
export interface ItemView {
  item_id: string;
  stock: number;
  price: number;
}
export interface StockLevel {
  item_id: string;
  stock: number;
}
export interface OrderView {
  order_id: string;
  user_id: string;
  paid: boolean;
  items: OrderLine[];
  total_cost: number;
}
/** A message of any type, as a function sent it: its StateFun typename and bytes. */
export interface TypedMessage {
  typename: string;
  value: Uint8Array;
}
export interface ReplyResults {
  error: ErrorBody;
  user_created: { user_id: string };
  user: UserView;
  item_created: { item_id: string };
  item: ItemView;
  stock_level: StockLevel;
  order_created: { order_id: string };
  order: OrderView;
  payment_status: { paid: boolean };
  success: { count: number };
  /** The answer to a message from the HTTP ingress. */
  message: TypedMessage;
  /** A batch_init's result: how many entities it created or reset. */
  batch_done: { count: number };
}
export type Reply = Envelope<'result', ReplyResults>;
export type ReplyResult = Reply['result'];

export const UserCommandCodec = envelopeCodec<'command', UserCommands, EntityCommandFields>(
  'shop.types.UserCommand',
  'shop.types/UserCommand',
  'command',
);
export const ItemCommandCodec = envelopeCodec<'command', ItemCommands, EntityCommandFields>(
  'shop.types.ItemCommand',
  'shop.types/ItemCommand',
  'command',
);
export const OrderCommandCodec = envelopeCodec<'command', OrderCommands, EntityCommandFields>(
  'shop.types.OrderCommand',
  'shop.types/OrderCommand',
  'command',
);
export const BatchCommandCodec = envelopeCodec<'command', BatchCommands>(
  'shop.types.BatchCommand',
  'shop.types/BatchCommand',
  'command',
);
export const ReplyCodec = envelopeCodec<'result', ReplyResults>(
  'shop.types.Reply',
  'shop.types/Reply',
  'result',
);

export const OrderLineCodec = messageCodec<OrderLine>('shop.types.OrderLine', 'shop.types/OrderLine');
