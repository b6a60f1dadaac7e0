// The one kafkajs internal the project tests directly: the read_committed filter it patches
// (patches/kafkajs+2.2.4.patch).
declare module 'kafkajs/src/consumer/filterAbortedMessages' {
  interface FetchedMessage {
    offset: string;
    key: Buffer | null;
    isControlRecord?: boolean;
    batchContext: { producerId: string; inTransaction: boolean };
  }
  function filterAbortedMessages<M extends FetchedMessage>(fetched: {
    messages: M[];
    abortedTransactions?: { firstOffset: string; producerId: string }[];
  }): M[];
  export = filterAbortedMessages;
}
