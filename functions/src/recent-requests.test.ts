import { RECENT_REQUESTS, admitRequest } from './recent-requests';

describe('functions > recent requests', () => {
  it('admits a new ID and remembers it', () => {
    expect(admitRequest(undefined, 'a')).toEqual(['a']);
    expect(admitRequest(['a'], 'b')).toEqual(['a', 'b']);
  });

  it('refuses an ID it remembers', () => {
    expect(admitRequest(['a', 'b'], 'a')).toBeUndefined();
    expect(admitRequest(['a', 'b'], 'b')).toBeUndefined();
  });

  it(`remembers the latest ${RECENT_REQUESTS} IDs, forgetting the oldest first`, () => {
    let recent: readonly string[] = [];
    for (let i = 0; i < RECENT_REQUESTS + 5; i++) recent = admitRequest(recent, `id${i}`)!;
    expect(recent).toHaveLength(RECENT_REQUESTS);
    expect(recent[0]).toBe('id5');
    expect(admitRequest(recent, 'id4')).toBeDefined();
    expect(admitRequest(recent, 'id5')).toBeUndefined();
    expect(admitRequest(recent, `id${RECENT_REQUESTS + 4}`)).toBeUndefined();
  });
});
