import {
  KafkaProducerRecordCodec,
  MutationType,
  type Address,
  type DelayedInvocation,
  type EgressMessage,
  type OutgoingMessage,
  type PersistedValueMutation,
  type TypedValue,
} from '@shop/protos';
import type { Type } from './types';
import type { ValueSpec } from './value-spec';

/** The egress a function writes to, as named in module.yaml (`<namespace>/<type>`). */
export interface EgressId {
  namespace: string;
  type: string;
}

/** A record for a StateFun Kafka egress. */
export interface KafkaRecord {
  topic: string;
  key: string;
  value: Uint8Array;
}

/** Typed access to the state a function declared; absent state reads as `undefined`. */
export interface State {
  get<T>(spec: ValueSpec<T>): T | undefined;
  set<T>(spec: ValueSpec<T>, value: T): void;
  clear(spec: ValueSpec<unknown>): void;
}

/** What a function sees while it handles one message. Every effect is returned to the runtime. */
export interface Context {
  readonly self: Address;
  /** The function that sent the message; undefined for a message from an ingress. */
  readonly caller: Address | undefined;
  readonly state: State;
  send<T>(target: Address, type: Type<T>, value: T): void;
  sendAfter<T>(delayMs: number, target: Address, type: Type<T>, value: T, cancellationToken?: string): void;
  cancelDelayed(cancellationToken: string): void;
  egress<T>(egress: EgressId, type: Type<T>, value: T): void;
  kafkaEgress(egress: EgressId, record: KafkaRecord): void;
}

function typedValue<T>(type: Type<T>, value: T): TypedValue {
  return { typename: type.typename, has_value: true, value: type.encode(value) };
}

interface Cell {
  spec: ValueSpec<unknown>;
  bytes: Uint8Array | undefined;
  value: unknown;
  decoded: boolean;
  dirty: boolean;
}

/**
 * The state of one address for one batch: values decode on first read and encode once, at the end,
 * only if written.
 */
export class BatchState implements State {
  private readonly cells = new Map<string, Cell>();

  constructor(specs: readonly ValueSpec<unknown>[], values: ReadonlyMap<string, Uint8Array | undefined>) {
    for (const spec of specs) {
      this.cells.set(spec.name, {
        spec,
        bytes: values.get(spec.name),
        value: undefined,
        decoded: false,
        dirty: false,
      });
    }
  }

  private cell(spec: ValueSpec<unknown>): Cell {
    const cell = this.cells.get(spec.name);
    if (!cell) {
      throw new Error(`state "${spec.name}" is not declared by this function`);
    }
    return cell;
  }

  get<T>(spec: ValueSpec<T>): T | undefined {
    const cell = this.cell(spec as ValueSpec<unknown>);
    if (!cell.decoded) {
      cell.value = cell.bytes === undefined ? undefined : spec.type.decode(cell.bytes);
      cell.decoded = true;
    }
    return cell.value as T | undefined;
  }

  set<T>(spec: ValueSpec<T>, value: T): void {
    const cell = this.cell(spec as ValueSpec<unknown>);
    cell.value = value;
    cell.decoded = true;
    cell.dirty = true;
  }

  clear(spec: ValueSpec<unknown>): void {
    this.set(spec, undefined);
  }

  mutations(): PersistedValueMutation[] {
    const out: PersistedValueMutation[] = [];
    for (const cell of this.cells.values()) {
      if (!cell.dirty) continue;
      out.push(
        cell.value === undefined
          ? { mutation_type: MutationType.DELETE, state_name: cell.spec.name }
          : {
              mutation_type: MutationType.MODIFY,
              state_name: cell.spec.name,
              state_value: typedValue(cell.spec.type, cell.value),
            },
      );
    }
    return out;
  }
}

/** Collects the effects of every invocation of a batch, in the order the function made them. */
export class Effects {
  readonly messages: OutgoingMessage[] = [];
  readonly delayed: DelayedInvocation[] = [];
  readonly egresses: EgressMessage[] = [];
}

export function createContext(
  self: Address,
  caller: Address | undefined,
  state: BatchState,
  effects: Effects,
): Context {
  return {
    self,
    caller,
    state,
    send(target, type, value) {
      effects.messages.push({ target, argument: typedValue(type, value) });
    },
    sendAfter(delayMs, target, type, value, cancellationToken = '') {
      if (!Number.isInteger(delayMs) || delayMs < 0) {
        throw new RangeError(`delay must be a non-negative integer of milliseconds, got ${delayMs}`);
      }
      effects.delayed.push({
        is_cancellation_request: false,
        cancellation_token: cancellationToken,
        delay_in_ms: delayMs,
        target,
        argument: typedValue(type, value),
      });
    },
    cancelDelayed(cancellationToken) {
      effects.delayed.push({
        is_cancellation_request: true,
        cancellation_token: cancellationToken,
        delay_in_ms: 0,
      });
    },
    egress(egress, type, value) {
      effects.egresses.push({
        egress_namespace: egress.namespace,
        egress_type: egress.type,
        argument: typedValue(type, value),
      });
    },
    kafkaEgress(egress, record) {
      this.egress(egress, KafkaProducerRecordCodec, {
        topic: record.topic,
        key: record.key,
        value_bytes: record.value,
      });
    },
  };
}
