import { canMove, isBusy, isCheckingOut, type OrderStatus } from './order-status';

const statuses: readonly OrderStatus[] = ['creating', 'open', 'adding', 'reserving', 'charging', 'paid'];

// The order's life, written out independently of the module: every move not listed here is refused.
const expected: ReadonlySet<string> = new Set([
  'creating->open',
  'open->adding',
  'open->reserving',
  'adding->open',
  'reserving->charging',
  'reserving->open',
  'charging->paid',
  'charging->open',
  'paid->open',
]);

const allPairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));

describe('functions > order > status', () => {
  it('covers all 36 pairs, 9 of them allowed', () => {
    expect(allPairs).toHaveLength(36);
    expect(allPairs.filter(([from, to]) => canMove(from, to))).toHaveLength(9);
  });

  it.each(allPairs.filter(([from, to]) => expected.has(`${from}->${to}`)))('allows %s -> %s', (from, to) => {
    expect(canMove(from, to)).toBe(true);
  });

  it.each(allPairs.filter(([from, to]) => !expected.has(`${from}->${to}`)))(
    'refuses %s -> %s',
    (from, to) => {
      expect(canMove(from, to)).toBe(false);
    },
  );

  it('never allows staying in place, going back to creating, or skipping the reservation', () => {
    for (const status of statuses) {
      expect(canMove(status, status)).toBe(false);
      expect(canMove(status, 'creating')).toBe(false);
    }
    expect(canMove('open', 'charging')).toBe(false);
    expect(canMove('open', 'paid')).toBe(false);
    expect(canMove('reserving', 'paid')).toBe(false);
    expect(canMove('adding', 'reserving')).toBe(false);
  });

  it('is busy exactly while waiting on another entity', () => {
    expect(statuses.filter(isBusy)).toEqual(['creating', 'adding', 'reserving', 'charging']);
    expect(isBusy('open')).toBe(false);
    expect(isBusy('paid')).toBe(false);
  });

  it('is checking out only while reserving or charging', () => {
    expect(statuses.filter(isCheckingOut)).toEqual(['reserving', 'charging']);
  });

  it('leaves every busy status only through open or paid', () => {
    for (const from of statuses.filter(isBusy)) {
      const targets = statuses.filter((to) => canMove(from, to));
      expect(targets.length).toBeGreaterThan(0);
      for (const to of targets) {
        if (!isBusy(to)) expect(['open', 'paid']).toContain(to);
      }
    }
  });
});
