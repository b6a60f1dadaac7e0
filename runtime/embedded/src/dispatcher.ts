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

/**
 * A state value: its bytes kept as a one-byte (latin1) string, which round-trips every byte. A small
 * Uint8Array costs some 300 bytes of bookkeeping (its own ArrayBuffer and backing store), several times
 * the value itself, and a batch_init keeps a million of them.
 */
interface StoredValue {
  typename: string;
  bytes: string;
  writtenAt: number;
}

/** A state spec of a function type, and the slot its value has in each instance's `values`. */
interface RegisteredSpec {
  spec: PersistedValueSpec;
  slot: number;
}

/**
 * A function type: its state specs, registered by the missing-state handshake once for every id (as
 * StateFun registers them per function type), and its instances by id.
 */
interface FunctionType {
  namespace: string;
  type: string;
  typename: string;
  specs: Map<string, RegisteredSpec>;
  instances: Map<string, Instance>;
}

/**
 * One address. Kept lean, as a batch_init makes a million of them that live as long as the process: the
 * type's data is shared, the values are an array by spec slot, and an empty queue is a fresh array.
 */
interface Instance {
  fn: FunctionType;
  id: string;
  values: (StoredValue | undefined)[];
  lastInvokedAt: number;
  queue: ToFunctionInvocation[];
  busy: boolean;
}

const RETRY_BASE_MS = 50;
const RETRY_MAX_MS = 2000;

/**
 * How long invocations may follow one another before the dispatcher lets the event loop take I/O. An
 * in-process function answers through promise microtasks only, so a long chain of messages (a batch_init
 * of a million) would otherwise starve every socket, /healthz included, until it ends.
 */
const SLICE_MS = 10;

/**
 * StateFun's dispatch semantics, in process: one virtual instance per address, at most one request
 * in flight per address with later messages queued and sent together as the next batch, state kept
 * here and handed to the function with each batch, and the missing-state handshake answered.
 */
export class Dispatcher {
  private readonly types = new Map<string, FunctionType>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly now: () => number;
  private stopped = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** When the current run of back-to-back invocations began; undefined once the event loop has turned. */
  private sliceStartedAt: number | undefined;
  /** Instances with messages that wait for the event loop to turn before they are invoked. */
  private readonly deferred = new Set<Instance>();

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
    const instance = this.types.get(typenameOf(target))?.instances.get(target.id);
    const out = new Map<string, TypedValue>();
    if (!instance) return out;
    for (const [name, { spec, slot }] of instance.fn.specs) {
      const stored = instance.values[slot];
      if (stored && !this.expired(instance, spec, stored)) out.set(name, typedValueOf(stored));
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
    this.deferred.clear();
  }

  private isIdle(): boolean {
    if (this.inFlight > 0 || this.delayed.size > 0 || this.deferred.size > 0) return false;
    for (const fn of this.types.values()) {
      for (const instance of fn.instances.values()) if (instance.queue.length > 0) return false;
    }
    return true;
  }

  private instance(address: Address): Instance {
    const typename = typenameOf(address);
    let fn = this.types.get(typename);
    if (!fn) {
      fn = {
        namespace: address.namespace,
        type: address.type,
        typename,
        specs: new Map(),
        instances: new Map(),
      };
      this.types.set(typename, fn);
    }
    let instance = fn.instances.get(address.id);
    if (!instance) {
      instance = { fn, id: address.id, values: [], lastInvokedAt: 0, queue: [], busy: false };
      fn.instances.set(address.id, instance);
    }
    return instance;
  }

  private run(instance: Instance): void {
    if (instance.busy || instance.queue.length === 0 || this.stopped) return;
    if (this.mustYield()) {
      this.deferred.add(instance);
      return;
    }
    instance.busy = true;
    this.inFlight++;
    const max = this.options.maxBatch(instance.fn.typename);
    let batch = instance.queue;
    if (batch.length > max) batch = batch.splice(0, max);
    // A drained queue keeps the capacity it grew to; a fresh one has none.
    else instance.queue = [];
    void this.invoke(instance, batch).finally(() => {
      instance.busy = false;
      this.inFlight--;
      this.run(instance);
      if (this.idleWaiters.length > 0 && this.isIdle()) {
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      }
    });
  }

  /**
   * Whether an invocation must wait for the event loop to turn: once a slice of SLICE_MS has passed
   * since the loop last turned. A slice ends at the loop's next check phase (setImmediate), after I/O
   * has been polled; that is when the deferred instances run, starting the next slice.
   */
  private mustYield(): boolean {
    if (this.deferred.size > 0) return true;
    const now = performance.now();
    if (this.sliceStartedAt === undefined) {
      this.sliceStartedAt = now;
      setImmediate(() => this.endSlice());
      return false;
    }
    return now - this.sliceStartedAt >= SLICE_MS;
  }

  private endSlice(): void {
    this.sliceStartedAt = undefined;
    const ready = [...this.deferred];
    this.deferred.clear();
    for (const instance of ready) this.run(instance);
  }

  private async invoke(instance: Instance, batch: ToFunctionInvocation[]): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      let response;
      try {
        const request = ToFunctionCodec.encode({
          invocation: { target: addressOf(instance), state: this.stateFor(instance), invocations: batch },
        });
        response = FromFunctionCodec.decode(await this.options.call(instance.fn.typename, request));
      } catch (error) {
        // As StateFun does: the batch is retried until it succeeds; later messages wait behind it.
        this.options.onCallError?.(error, addressOf(instance), attempt);
        await sleep(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 6)));
        continue;
      }
      const incomplete = response.incomplete_invocation_context;
      if (incomplete) {
        for (const spec of incomplete.missing_values) register(instance.fn, spec);
        continue;
      }
      const result = response.invocation_result;
      if (!result) throw new Error(`empty FromFunction from ${instance.fn.typename}`);
      const now = this.now();
      instance.lastInvokedAt = now;
      for (const mutation of result.state_mutations) {
        // A function can only have been given, and so only change, the specs registered.
        const registered = instance.fn.specs.get(mutation.state_name);
        if (!registered) continue;
        const value = mutation.mutation_type === MutationType.MODIFY ? mutation.state_value : undefined;
        instance.values[registered.slot] = value ? stored(registered.spec, value, now) : undefined;
      }
      const sender = addressOf(instance);
      for (const message of result.outgoing_messages) this.send(message.target, message.argument, sender);
      for (const delayed of result.delayed_invocations) this.schedule(sender, delayed);
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
    const token = delayed.cancellation_token
      ? `${typenameOf(sender)}/${sender.id}#${delayed.cancellation_token}`
      : '';
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
    for (const [name, { spec, slot }] of instance.fn.specs) {
      let stored = instance.values[slot];
      if (stored && this.expired(instance, spec, stored)) stored = instance.values[slot] = undefined;
      state.push({
        state_name: name,
        state_value: stored
          ? typedValueOf(stored)
          : { typename: spec.type_typename, has_value: false, value: new Uint8Array(0) },
      });
    }
    return state;
  }

  private expired(instance: Instance, spec: PersistedValueSpec, stored: StoredValue): boolean {
    const expiration = spec.expiration_spec;
    if (!expiration || expiration.mode === ExpireMode.NONE) return false;
    const since =
      expiration.mode === ExpireMode.AFTER_INVOKE
        ? Math.max(stored.writtenAt, instance.lastInvokedAt)
        : stored.writtenAt;
    return this.now() - since >= expiration.expire_after_millis;
  }
}

function typenameOf(address: Address): string {
  return `${address.namespace}/${address.type}`;
}

function register(fn: FunctionType, spec: PersistedValueSpec): void {
  const known = fn.specs.get(spec.state_name);
  fn.specs.set(spec.state_name, { spec, slot: known ? known.slot : fn.specs.size });
}

/** A state value to keep. Its typename is the spec's own string when equal, not one more copy per address. */
function stored(spec: PersistedValueSpec, value: TypedValue, now: number): StoredValue {
  const bytes = value.value;
  return {
    typename: spec.type_typename === value.typename ? spec.type_typename : value.typename,
    bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
    writtenAt: now,
  };
}

function typedValueOf(stored: StoredValue): TypedValue {
  return { typename: stored.typename, has_value: true, value: Buffer.from(stored.bytes, 'latin1') };
}

function addressOf(instance: Instance): Address {
  return { namespace: instance.fn.namespace, type: instance.fn.type, id: instance.id };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
