import { messageCodec } from './codec';

// TypeScript mirrors of protos/statefun/*.proto: the StateFun 3.x request-reply wire format.

export interface Address {
  namespace: string;
  type: string;
  id: string;
}

export interface TypedValue {
  typename: string;
  has_value: boolean;
  value: Uint8Array;
}

export interface PersistedValue {
  state_name: string;
  state_value?: TypedValue | null;
}

export interface ToFunctionInvocation {
  caller?: Address | null;
  argument: TypedValue;
}

export interface InvocationBatchRequest {
  target: Address;
  state: PersistedValue[];
  invocations: ToFunctionInvocation[];
}

export interface ToFunction {
  invocation: InvocationBatchRequest;
}

export enum MutationType {
  DELETE = 0,
  MODIFY = 1,
}

export interface PersistedValueMutation {
  mutation_type: MutationType;
  state_name: string;
  state_value?: TypedValue | null;
}

export interface OutgoingMessage {
  target: Address;
  argument: TypedValue;
}

export interface DelayedInvocation {
  is_cancellation_request: boolean;
  cancellation_token: string;
  delay_in_ms: number;
  target?: Address | null;
  argument?: TypedValue | null;
}

export interface EgressMessage {
  egress_namespace: string;
  egress_type: string;
  argument: TypedValue;
}

export interface InvocationResponse {
  state_mutations: PersistedValueMutation[];
  outgoing_messages: OutgoingMessage[];
  delayed_invocations: DelayedInvocation[];
  outgoing_egresses: EgressMessage[];
}

export enum ExpireMode {
  NONE = 0,
  AFTER_WRITE = 1,
  AFTER_INVOKE = 2,
}

export interface PersistedValueSpec {
  state_name: string;
  expiration_spec?: { mode: ExpireMode; expire_after_millis: number } | null;
  type_typename: string;
}

export interface FromFunction {
  invocation_result?: InvocationResponse | null;
  incomplete_invocation_context?: { missing_values: PersistedValueSpec[] } | null;
}

export interface KafkaProducerRecord {
  key: string;
  value_bytes: Uint8Array;
  topic: string;
}

export const ToFunctionCodec = messageCodec<ToFunction>(
  'io.statefun.sdk.reqreply.ToFunction',
  'io.statefun.sdk.reqreply/ToFunction',
);
export const FromFunctionCodec = messageCodec<FromFunction>(
  'io.statefun.sdk.reqreply.FromFunction',
  'io.statefun.sdk.reqreply/FromFunction',
);
/** The argument of a Kafka egress message, under the typename StateFun's Kafka egress expects. */
export const KafkaProducerRecordCodec = messageCodec<KafkaProducerRecord>(
  'io.statefun.sdk.egress.KafkaProducerRecord',
  'type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord',
);
export const StringWrapperCodec = messageCodec<{ value: string }>(
  'io.statefun.sdk.types.StringWrapper',
  'io.statefun.types/string',
);
export const LongWrapperCodec = messageCodec<{ value: number }>(
  'io.statefun.sdk.types.LongWrapper',
  'io.statefun.types/long',
);
export const BooleanWrapperCodec = messageCodec<{ value: boolean }>(
  'io.statefun.sdk.types.BooleanWrapper',
  'io.statefun.types/bool',
);
