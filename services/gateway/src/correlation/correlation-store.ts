/**
 * What a poll for a correlation ID finds: its reply; `pending` while it may still come; `lost` when the
 * replica that held the request stopped before sending it, so it had no effect and may be sent again;
 * undefined when the ID is unknown or expired.
 */
export type PollResult =
  { status: 'done'; reply: Uint8Array } | { status: 'pending' } | { status: 'lost' } | undefined;

/** A request parked under its correlation ID, waiting on this replica. */
export interface Parked {
  /** The encoded reply, or undefined when the timeout passed first (the reply is then kept for polling). */
  readonly reply: Promise<Uint8Array | undefined>;
  /** Records that the command was published: from now on only its reply, or expiry, ends it. */
  sent(): Promise<void>;
}

/**
 * The gateway's correlation map. Any replica may consume any reply from the egress topic; the store
 * gets it to the replica that holds the HTTP request, and keeps it for polling until its time to live
 * passes, whether or not it was answered directly: a client that lost its connection polls rather than
 * sending again. A correlation ID so names one request for that long.
 */
export interface CorrelationStore {
  /**
   * Records that this replica waits for `id`; resolves once the record is durable enough to route to.
   * Undefined when `id` is already in use (parked, or its reply still kept): a client-chosen ID must
   * name one request only, or a poll could return another request's reply. `request` is kept beside
   * the record, as long as the reply.
   */
  park(id: string, timeoutMs: number, request?: string): Promise<Parked | undefined>;
  /**
   * What `request` the ID was parked with (an Idempotency-Key's fingerprint of the request), for as long
   * as the ID is in use; undefined when none was given or the ID is free.
   */
  requestOf(id: string): Promise<string | undefined>;
  /** A reply consumed from the egress topic by this replica. */
  deliver(id: string, reply: Uint8Array): Promise<void>;
  /** The reply if it exists, `pending` while still awaited, undefined when unknown or expired. */
  poll(id: string): Promise<PollResult>;
  /**
   * Resolves when the store can park and route requests; rejects with what is wrong otherwise.
   * Readiness probes call it: cheap, and bounded in time.
   */
  check(): Promise<void>;
  close(): Promise<void>;
}
