import filterAbortedMessages from 'kafkajs/src/consumer/filterAbortedMessages';

// kafkajs drops the records of aborted transactions on the client side, from the list of aborted
// transactions the broker sends with each fetch. StateFun's exactly-once egress writes replies from
// several transactional producers at once and aborts their open transactions when the job fails over;
// a reply that leaks from an aborted transaction tells a client of an effect that was rolled back.
// These cases guard the patch in patches/kafkajs+2.2.4.patch.

const ABORT_MARKER = Buffer.from([0, 0, 0, 0]);

/** A record at `offset` from `producer`, inside a transaction. */
const record = (offset: number, producer: string) => ({
  offset: String(offset),
  key: Buffer.from(`reply-${offset}`),
  batchContext: { producerId: producer, inTransaction: true },
});
const abortMarker = (offset: number, producer: string) => ({
  ...record(offset, producer),
  key: ABORT_MARKER,
  isControlRecord: true,
});
const offsetsOf = (messages: { offset: string; isControlRecord?: boolean }[]) =>
  messages.filter((m) => !m.isControlRecord).map((m) => Number(m.offset));

describe('broker > kafkajs read_committed filter', () => {
  it('drops every record of two interleaved aborted transactions when the fetch starts inside both', () => {
    // Producers 7 and 8 began their transactions at 100 and 101; this fetch starts at 120.
    const messages = [
      record(120, '8'),
      record(121, '7'),
      record(122, '8'),
      abortMarker(123, '7'),
      abortMarker(124, '8'),
      record(125, '9'),
    ];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [
        { firstOffset: '100', producerId: '7' },
        { firstOffset: '101', producerId: '8' },
      ],
    });
    expect(offsetsOf(kept)).toEqual([125]);
  });

  it('does not trust the broker to list aborted transactions in offset order', () => {
    const messages = [record(50, '1'), record(51, '2'), record(52, '3')];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [
        { firstOffset: '51', producerId: '2' },
        { firstOffset: '50', producerId: '1' },
      ],
    });
    expect(offsetsOf(kept)).toEqual([52]);
  });

  it('keeps committed records, and the records a producer writes after its abort marker', () => {
    const messages = [record(10, '1'), abortMarker(11, '1'), record(12, '1'), record(13, '2')];
    const kept = filterAbortedMessages({
      messages,
      abortedTransactions: [{ firstOffset: '10', producerId: '1' }],
    });
    expect(offsetsOf(kept)).toEqual([12, 13]);
  });
});
