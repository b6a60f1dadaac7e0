import {
  ExpireMode,
  type Address,
  FromFunctionCodec,
  ToFunctionCodec,
  type FromFunction,
  type PersistedValueSpec,
  type ToFunction,
} from '@shop/protos';
import { BatchState, Effects, createContext } from './context';
import { Message } from './message';
import type { StatefulFunction } from './stateful-function';
import type { ValueSpec } from './value-spec';

/** Raised for a request no registered function can take; the HTTP binding answers it with 404. */
export class UnknownFunctionError extends Error {
  constructor(readonly typename: string) {
    super(`no function of type ${typename} is registered here`);
    this.name = 'UnknownFunctionError';
  }
}

/** One ToFunction in, one FromFunction out: the whole request-reply protocol, without transport. */
export type RequestReplyHandler = (toFunction: Uint8Array) => Promise<Uint8Array>;

function specOnWire(spec: ValueSpec<unknown>): PersistedValueSpec {
  const expiration = spec.expiration;
  return {
    state_name: spec.name,
    type_typename: spec.type.typename,
    expiration_spec: expiration
      ? {
          mode: expiration.mode === 'after-write' ? ExpireMode.AFTER_WRITE : ExpireMode.AFTER_INVOKE,
          expire_after_millis: expiration.afterMillis,
        }
      : { mode: ExpireMode.NONE, expire_after_millis: 0 },
  };
}

/** Invokes one batch: the decoded request in, the response to encode out. */
export async function invokeBatch(fn: StatefulFunction, request: ToFunction): Promise<FromFunction> {
  const batch = request.invocation;
  const provided = new Map<string, Uint8Array | undefined>();
  for (const persisted of batch.state) {
    const value = persisted.state_value;
    provided.set(persisted.state_name, value && value.has_value ? value.value : undefined);
  }
  const missing = fn.specs.filter((spec) => !provided.has(spec.name));
  if (missing.length > 0) {
    // The runtime has not been told about these states yet: name them, and it sends the batch again.
    return { incomplete_invocation_context: { missing_values: missing.map(specOnWire) } };
  }

  const state = new BatchState(fn.specs, provided);
  const effects = new Effects();
  for (const invocation of batch.invocations) {
    const caller = invocation.caller ?? undefined;
    const ctx = createContext(batch.target, caller, state, effects);
    await fn.handle(ctx, Message.of(invocation.argument));
  }
  return {
    invocation_result: {
      state_mutations: state.mutations(),
      outgoing_messages: effects.messages,
      delayed_invocations: effects.delayed,
      outgoing_egresses: effects.egresses,
    },
  };
}

/** What one invocation batch was, for metrics and logs. */
export interface BatchObservation {
  /** The registered function's typename (`shop/order`; `egress/*` for a namespace's function). */
  functionType: string;
  target: Address;
  /** Messages in the batch. */
  size: number;
  seconds: number;
  /** Answered "state missing" (IncompleteInvocationContext): the runtime sends the batch again. */
  incomplete: boolean;
}

export function createRequestReplyHandler(
  functions: readonly StatefulFunction[],
  observe?: (batch: BatchObservation) => void,
): RequestReplyHandler {
  const byTypename = new Map(functions.map((fn) => [fn.typename, fn]));
  return async (bytes) => {
    const request = ToFunctionCodec.decode(bytes);
    if (!request.invocation) {
      throw new Error('ToFunction without an invocation batch');
    }
    const target = request.invocation.target;
    const typename = `${target.namespace}/${target.type}`;
    // An exact typename first, then a function registered for the whole namespace (`egress/*`).
    const fn = byTypename.get(typename) ?? byTypename.get(`${target.namespace}/*`);
    if (!fn) {
      throw new UnknownFunctionError(typename);
    }
    if (!observe) return FromFunctionCodec.encode(await invokeBatch(fn, request));
    const start = performance.now();
    const response = await invokeBatch(fn, request);
    observe({
      functionType: fn.typename,
      target,
      size: request.invocation.invocations.length,
      seconds: (performance.now() - start) / 1000,
      incomplete: response.incomplete_invocation_context != null,
    });
    return FromFunctionCodec.encode(response);
  };
}
