import {
  ExpireMode,
  FromFunctionCodec,
  MutationType,
  ToFunctionCodec,
  type Address,
  type EgressMessage,
  type PersistedValue,
  type PersistedValueSpec,
  type ToFunctionInvocation,
  type TypedValue,
} from '@shop/protos';

/** Calls a function over the request-reply protocol: ToFunction bytes in, FromFunction bytes out. */
export type FunctionCaller = (typename: string, toFunction: Uint8Array) => Promise<Uint8Array>;

export interface DispatcherOptions {
  call: FunctionCaller;
  egress: (message: EgressMessage) => void;
  /** How many queued messages one request may carry (the endpoint's maxNumBatchRequests). */
  maxBatch: (typename: string) => number;
  onCallError?: (error: unknown, target: Address, attempt: number) => void;
  now?: () => number;
}

interface StoredValue {
  value: TypedValue;
  writtenAt: number;
}

interface Instance {
  address: Address;
  typename: string;
  specs: Map<string, PersistedValueSpec>;
  values: Map<string, StoredValue>;
  lastInvokedAt: number;
  queue: ToFunctionInvocation[];
  busy: boolean;
}

const RETRY_BASE_MS = 50;
const RETRY_MAX_MS = 2000;

/**
 * StateFun's dispatch semantics, in process: one virtual instance per address, at most one request
 * in flight per address with later messages queued and sent together as the next batch, state kept
 * here and handed to the function with each batch, and the missing-state handshake answered.
 */
export class Dispatcher {
  private readonly instances = new Map<string, Instance>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly now: () => number;
  private stopped = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Delivers a message to an address; `caller` is absent for ingress messages. */
  send(target: Address, argument: TypedValue, caller?: Address): void {
    if (this.stopped) return;
    const instance = this.instance(target);
    instance.queue.push(caller ? { caller, argument } : { argument });
    this.run(instance);
  }

  /** The state values an address holds now (for tests and diagnostics). */
  stateOf(target: Address): ReadonlyMap<string, TypedValue> {
    const instance = this.instances.get(key(target));
    const out = new Map<string, TypedValue>();
    if (!instance) return out;
    for (const [name, stored] of instance.values) {
      if (!this.expired(instance, name, stored)) out.set(name, stored.value);
    }
    return out;
  }

  /** Resolves once no request is in flight and no message is queued or delayed. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
  }

  private isIdle(): boolean {
    if (this.inFlight > 0 || this.delayed.size > 0) return false;
    for (const instance of this.instances.values()) if (instance.queue.length > 0) return false;
    return true;
  }

  private instance(address: Address): Instance {
    const k = key(address);
    let instance = this.instances.get(k);
    if (!instance) {
      instance = {
        address: { namespace: address.namespace, type: address.type, id: address.id },
        typename: `${address.namespace}/${address.type}`,
        specs: new Map(),
        values: new Map(),
        lastInvokedAt: 0,
        queue: [],
        busy: false,
      };
      this.instances.set(k, instance);
    }
    return instance;
  }

  private run(instance: Instance): void {
    if (instance.busy || instance.queue.length === 0 || this.stopped) return;
    instance.busy = true;
    this.inFlight++;
    const batch = instance.queue.splice(0, this.options.maxBatch(instance.typename));
    void this.invoke(instance, batch).finally(() => {
      instance.busy = false;
      this.inFlight--;
      this.run(instance);
      if (this.idleWaiters.length > 0 && this.isIdle()) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    });
  }

  private async invoke(instance: Instance, batch: ToFunctionInvocation[]): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      let response;
      try {
        const request = ToFunctionCodec.encode({
          invocation: { target: instance.address, state: this.stateFor(instance), invocations: batch },
        });
        response = FromFunctionCodec.decode(await this.options.call(instance.typename, request));
      } catch (error) {
        // As StateFun does: the batch is retried until it succeeds; later messages wait behind it.
        this.options.onCallError?.(error, instance.address, attempt);
        await sleep(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 6)));
        continue;
      }
      const incomplete = response.incomplete_invocation_context;
      if (incomplete) {
        for (const spec of incomplete.missing_values) instance.specs.set(spec.state_name, spec);
        continue;
      }
      const result = response.invocation_result;
      if (!result) throw new Error(`empty FromFunction from ${instance.typename}`);
      const now = this.now();
      instance.lastInvokedAt = now;
      for (const mutation of result.state_mutations) {
        if (mutation.mutation_type === MutationType.MODIFY && mutation.state_value) {
          instance.values.set(mutation.state_name, {
            value: copyTypedValue(mutation.state_value),
            writtenAt: now,
          });
        } else {
          instance.values.delete(mutation.state_name);
        }
      }
      for (const message of result.outgoing_messages)
        this.send(message.target, message.argument, instance.address);
      for (const delayed of result.delayed_invocations) this.schedule(instance.address, delayed);
      for (const egress of result.outgoing_egresses) this.options.egress(egress);
      return;
    }
  }

  private schedule(
    sender: Address,
    delayed: {
      is_cancellation_request: boolean;
      cancellation_token: string;
      delay_in_ms: number;
      target?: Address | null;
      argument?: TypedValue | null;
    },
  ): void {
    const token = delayed.cancellation_token ? `${key(sender)}#${delayed.cancellation_token}` : '';
    if (delayed.is_cancellation_request) {
      const timer = this.delayed.get(token);
      if (timer) clearTimeout(timer);
      this.delayed.delete(token);
      return;
    }
    const { target, argument } = delayed;
    if (!target || !argument) return;
    const id = token || `anonymous#${Math.random()}`;
    this.delayed.set(
      id,
      setTimeout(() => {
        this.delayed.delete(id);
        this.send(target, argument, sender);
      }, delayed.delay_in_ms),
    );
  }

  private stateFor(instance: Instance): PersistedValue[] {
    const state: PersistedValue[] = [];
    for (const [name, spec] of instance.specs) {
      const stored = instance.values.get(name);
      if (stored && this.expired(instance, name, stored)) instance.values.delete(name);
      const present = stored && instance.values.has(name);
      state.push({
        state_name: name,
        state_value: present
          ? stored.value
          : { typename: spec.type_typename, has_value: false, value: new Uint8Array(0) },
      });
    }
    return state;
  }

  private expired(instance: Instance, name: string, stored: StoredValue): boolean {
    const expiration = instance.specs.get(name)?.expiration_spec;
    if (!expiration || expiration.mode === ExpireMode.NONE) return false;
    const since =
      expiration.mode === ExpireMode.AFTER_INVOKE
        ? Math.max(stored.writtenAt, instance.lastInvokedAt)
        : stored.writtenAt;
    return this.now() - since >= expiration.expire_after_millis;
  }
}

function key(address: Address): string {
  return `${address.namespace}/${address.type}/${address.id}`;
}

// Decoded bytes may be views into the whole response buffer: copy them so that it can be freed.
function copyTypedValue(value: TypedValue): TypedValue {
  return {
    typename: value.typename,
    has_value: value.has_value,
    value: Uint8Array.prototype.slice.call(value.value),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
