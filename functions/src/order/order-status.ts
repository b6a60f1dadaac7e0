/**
 * An order's life. `creating`, `adding`, `reserving` and `charging` wait on another entity's reply;
 * while in one of them the order is busy and queues what it cannot answer at once.
 */
export type OrderStatus = 'creating' | 'open' | 'adding' | 'reserving' | 'charging' | 'paid';

const allowed: Record<OrderStatus, readonly OrderStatus[]> = {
  creating: ['open'],
  open: ['adding', 'reserving'],
  adding: ['open'],
  reserving: ['charging', 'open'],
  charging: ['paid', 'open'],
  // /payment/cancel refunded the order: its stock goes back and it can be checked out again.
  paid: ['open'],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return allowed[from].includes(to);
}

export function isBusy(status: OrderStatus): boolean {
  return status === 'creating' || status === 'adding' || status === 'reserving' || status === 'charging';
}

export function isCheckingOut(status: OrderStatus): boolean {
  return status === 'reserving' || status === 'charging';
}
