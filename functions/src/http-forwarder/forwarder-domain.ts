import type { Address, HttpIngressMessage, TypedMessage } from '@shop/protos';

/**
 * A paired egress instance's state, one per correlation ID: whom it sent the request to, and whether
 * the answer has gone out.
 */
export interface ForwardState {
  target: Address;
  answered: boolean;
}

/** What reaches a forwarder: the request from the ingress, or a message from a function. */
export type ForwarderInput =
  { kind: 'request'; request: HttpIngressMessage } | { kind: 'answer'; message: TypedMessage };

export interface ForwarderDecision {
  state: ForwardState | undefined;
  /** The request's message, to send to its target with the forwarder as caller. */
  send?: { target: Address; message: TypedMessage };
  /** The answer, to write to the egress topic under the correlation ID. */
  reply?: TypedMessage;
}

/**
 * Forwards the request once, and the first answer once: the correlation ID names one request and one
 * reply. Anything after that (a second answer, a request sent again under the same ID) changes nothing.
 */
export function decideForward(state: ForwardState | undefined, input: ForwarderInput): ForwarderDecision {
  switch (input.kind) {
    case 'request': {
      if (state) return { state };
      const { target, message } = input.request;
      // Copied field by field: state is plain JSON.
      const to = { namespace: target.namespace, type: target.type, id: target.id };
      return { state: { target: to, answered: false }, send: { target: to, message } };
    }
    case 'answer':
      // Before the request (impossible from the ingress) or after the first answer: nobody waits for it.
      if (!state || state.answered) return { state };
      return { state: { ...state, answered: true }, reply: input.message };
  }
}
