import { PartitionLag } from './partition-lag';

describe('broker > partition lag', () => {
  it('adds up the partitions of each topic, the last report of each counting', () => {
    const lag = new PartitionLag();
    lag.seen('shop-egress', 0, 7);
    lag.seen('shop-egress', 1, 3);
    lag.seen('shop-egress', 0, 2);
    lag.seen('shop-read-replies', 0, 1);
    expect(lag.byTopic()).toEqual(
      new Map([
        ['shop-egress', 5],
        ['shop-read-replies', 1],
      ]),
    );
  });

  it('forgets the partitions a rebalance moved to another member', () => {
    const lag = new PartitionLag();
    lag.seen('shop-egress', 0, 7);
    lag.seen('shop-egress', 1, 3);
    lag.assigned({ 'shop-egress': [1] });
    expect(lag.byTopic().get('shop-egress')).toBe(3);
    lag.assigned({});
    expect(lag.byTopic().get('shop-egress')).toBe(0);
  });
});
