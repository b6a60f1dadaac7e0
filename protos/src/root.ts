import path from 'node:path';
import protobuf from 'protobufjs';

// int64 fields (money, stock, delays) decode to JS numbers rather than Long objects: every amount in
// the shop is kept below Number.MAX_SAFE_INTEGER, so numbers are exact and much cheaper to handle.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

const protoDir = path.resolve(__dirname, '..');

/** Every .proto of the project, loaded once; field names keep their snake_case wire spelling. */
export const root: protobuf.Root = new protobuf.Root().loadSync(
  ['shop.proto', 'statefun/request-reply.proto', 'statefun/kafka-egress.proto', 'statefun/types.proto'].map(
    (file) => path.join(protoDir, file),
  ),
  { keepCase: true },
);
