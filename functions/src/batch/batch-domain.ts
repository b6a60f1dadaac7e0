import {
  MAX_BATCH,
  type BatchCommand,
  type ErrorBody,
  type OrderLine,
  type Reply,
  type ReplyResult,
} from '@shop/protos';
import { isNonNegativeQuantity, isPositiveQuantity } from '../limits';
import type { Decision, Outgoing } from '../outgoing';
import { refusal, type Requester } from '../requester';

/**
 * The most creates a batch has sent and not yet heard back from. It bounds what one batch puts in flight
 * (messages queued in the runtime, replies queued back to shop/batch) whatever its n, and each of its
 * invocations: one never sends more than the window's free room. On the stack, batch_init of 100 000
 * took 21–26 s per kind with a window of 1 000 (chunks of 250), 16–21 s with 5 000 (1 000) and 15–16 s
 * with 20 000 (5 000): the round trips through StateFun's feedback loop bound a small window.
 */
export const BATCH_WINDOW = 20_000;

/**
 * How many creates a batch sends at once after its first window: it waits until that much of the window
 * is free, so that a run of replies costs a few invocations that send, not one send per reply.
 */
export const BATCH_CHUNK = 5_000;

/** The batch_init running at this address: who asked, what, and how far it got. */
export interface BatchRun {
  requester: Requester;
  command: BatchCommand['command'];
  /** The correlation ID of this run's creates: a reply under any other one is not this run's. */
  token: string;
  /** The ids "0".."sent-1" have been sent their create. */
  sent: number;
  received: number;
  /** The first refusal; once there is one, nothing more is sent. */
  failure: ErrorBody | null;
}

/** One address per kind of entity: the runs it started so far (numbering their tokens), and the current one. */
export interface BatchState {
  runs: number;
  current: BatchRun | null;
}

export type BatchInput =
  | { kind: 'command'; requester: Requester; command: BatchCommand['command'] }
  | { kind: 'reply'; reply: Reply };

export type BatchDecision = Decision<BatchState>;

/** Random integers in [0, n): injected so that tests can pin the orders' random lines. */
export type RandomInt = (n: number) => number;

/** Why a command cannot run, or undefined when it can. */
function invalid(command: BatchCommand['command']): ReplyResult | undefined {
  const { n } = command.value;
  if (!isNonNegativeQuantity(n) || n > MAX_BATCH)
    return refusal('BAD_REQUEST', `n must be an integer from 0 to ${MAX_BATCH}`);
  switch (command.kind) {
    case 'users':
      if (!isNonNegativeQuantity(command.value.starting_money))
        return refusal('BAD_REQUEST', 'starting_money must be a non-negative integer');
      return undefined;
    case 'items':
      if (!isNonNegativeQuantity(command.value.starting_stock))
        return refusal('BAD_REQUEST', 'starting_stock must be a non-negative integer');
      if (!isPositiveQuantity(command.value.item_price))
        return refusal('BAD_REQUEST', 'item_price must be a positive integer');
      return undefined;
    case 'orders': {
      const { n_items, n_users, item_price } = command.value;
      if (!isPositiveQuantity(n_items) || !isPositiveQuantity(n_users))
        return refusal('BAD_REQUEST', 'n_items and n_users must be positive integers');
      if (!isPositiveQuantity(item_price))
        return refusal('BAD_REQUEST', 'item_price must be a positive integer');
      return undefined;
    }
  }
}

/** Two random units of the batch's items, the same item drawn twice being one line of two. */
function randomLines(n_items: number, unit_price: number, random: RandomInt): OrderLine[] {
  const lines: OrderLine[] = [];
  for (let k = 0; k < 2; k++) {
    const itemId = String(random(n_items));
    const line = lines.find((l) => l.item_id === itemId);
    if (line) line.quantity += 1;
    else lines.push({ item_id: itemId, quantity: 1, unit_price });
  }
  return lines;
}

/** The create (or seed) of entity `id` for a valid command. */
function create(command: BatchCommand['command'], id: string, token: string, random: RandomInt): Outgoing {
  switch (command.kind) {
    case 'users': {
      const credit = command.value.starting_money;
      return {
        to: 'user',
        id,
        command: { correlation_id: token, command: { kind: 'create', value: { credit, reset: true } } },
      };
    }
    case 'items': {
      const { starting_stock, item_price } = command.value;
      return {
        to: 'item',
        id,
        command: {
          correlation_id: token,
          command: { kind: 'create', value: { price: item_price, stock: starting_stock, reset: true } },
        },
      };
    }
    case 'orders': {
      const { n_items, n_users, item_price } = command.value;
      const lines = randomLines(n_items, item_price, random);
      return {
        to: 'order',
        id,
        command: {
          correlation_id: token,
          command: { kind: 'seed', value: { user_id: String(random(n_users)), lines } },
        },
      };
    }
  }
}

/** Sends the next ids while the window has room for a chunk (or for all that is left), never beyond it. */
function refill(runs: number, run: BatchRun, random: RandomInt): BatchDecision {
  const state: BatchState = { runs, current: run };
  const left = run.command.value.n - run.sent;
  const room = BATCH_WINDOW - (run.sent - run.received);
  const count = Math.min(room, left);
  if (run.failure || count <= 0 || count < Math.min(BATCH_CHUNK, left)) {
    return { state, replies: [], messages: [] };
  }
  const messages: Outgoing[] = [];
  for (let id = run.sent; id < run.sent + count; id++) {
    messages.push(create(run.command, String(id), run.token, random));
  }
  return { state: { runs, current: { ...run, sent: run.sent + count } }, replies: [], messages };
}

function onCommand(
  batchId: string,
  state: BatchState | undefined,
  input: Extract<BatchInput, { kind: 'command' }>,
  random: RandomInt,
): BatchDecision {
  const answer = (result: ReplyResult): BatchDecision => ({
    state,
    replies: [{ to: input.requester, result }],
    messages: [],
  });
  const { command } = input;
  // One address per kind is what makes a second batch of that kind wait its turn: a command sent to
  // any other id would run beside it.
  if (command.kind !== batchId) {
    return answer(
      refusal('BAD_REQUEST', `a batch of ${command.kind} goes to id ${command.kind}, not ${batchId}`),
    );
  }
  const running = state?.current;
  if (running) {
    const progress = `${running.received} of ${running.command.value.n} done`;
    return answer(
      refusal('BATCH_RUNNING', `a batch_init of ${batchId} is running (${progress}); retry later`),
    );
  }
  const refused = invalid(command);
  if (refused) return answer(refused);
  if (command.value.n === 0) return answer({ kind: 'batch_done', value: { count: 0 } });
  const runs = (state?.runs ?? 0) + 1;
  const run: BatchRun = {
    requester: input.requester,
    command,
    token: `${batchId}#${runs}`,
    sent: 0,
    received: 0,
    failure: null,
  };
  return refill(runs, run, random);
}

function onReply(state: BatchState | undefined, reply: Reply, random: RandomInt): BatchDecision {
  const run = state?.current;
  if (!state || !run || reply.correlation_id !== run.token) return { state, replies: [], messages: [] };
  const result = reply.result;
  const next: BatchRun = {
    ...run,
    received: run.received + 1,
    failure: run.failure ?? (result.kind === 'error' ? result.value : null),
  };
  // After a refusal nothing more is sent: the run ends once what is in flight is back.
  const last = next.failure ? next.sent : next.command.value.n;
  if (next.received < last) return refill(state.runs, next, random);
  const final: ReplyResult = next.failure
    ? { kind: 'error', value: next.failure }
    : { kind: 'batch_done', value: { count: next.command.value.n } };
  return {
    state: { runs: state.runs, current: null },
    replies: [{ to: next.requester, result: final }],
    messages: [],
  };
}

/**
 * A batch_init at the address of its kind (`shop/batch/users`, `items`, `orders`): it sends the creates of
 * ids "0".."n-1" in chunks, never more than BATCH_WINDOW unanswered, each chunk paid for by the replies
 * to the one before (messages between functions only, so StateFun paces it as the embedded runtime
 * does), and answers once all n are in. A second command while one runs is refused.
 */
export function decideBatch(
  batchId: string,
  state: BatchState | undefined,
  input: BatchInput,
  random: RandomInt,
): BatchDecision {
  return input.kind === 'reply'
    ? onReply(state, input.reply, random)
    : onCommand(batchId, state, input, random);
}
