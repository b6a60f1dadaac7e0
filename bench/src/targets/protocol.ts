/** The servers the bench loads: the shop, and the two baselines it is measured against. */
export const TARGET_ROLES = ['shop', 'node-http', 'express'] as const;
export type TargetRole = (typeof TARGET_ROLES)[number];

/** What a target process and the bench tell each other over IPC. */
export type TargetMessage =
  | { type: 'ready'; url: string }
  | { type: 'failed'; message: string }
  /** An internal failure of the embedded shop; an empty message is one more past those sent in full. */
  | { type: 'error'; message: string }
  | { type: 'stop' };
