import { FromFunctionCodec } from '@shop/protos';
import { root } from '../../../protos/src/root';
import { Types } from './types';
import * as f from './conformance-fixtures';

const FromFunctionType = root.lookupType('io.statefun.sdk.reqreply.FromFunction');
function raw(bytes: Uint8Array): string {
  return JSON.stringify(FromFunctionType.toObject(FromFunctionType.decode(bytes), { bytes: String, enums: String }), null, 1);
}
it('dump', async () => {
  const official = f.officialStateFun();
  const ours = f.ourHandler();
  const target = { ...f.COUNTER_FN, id: 'c-1' };
  const caller = { ...f.PEER_FN, id: 'p-9' };
  const reqs = [
    f.toFunctionBytes(target, [], [{ argument: f.stringArgument('hi') }]),
    f.toFunctionBytes(target, [f.storedState('seen_count', Types.long, 41), f.storedState('note', Types.string, 'n')],
      [{ argument: f.stringArgument('a') }, { caller, argument: f.stringArgument('forget') }, { argument: f.stringArgument('') }]),
    f.toFunctionBytes({ ...f.ECHO_FN, id: 'e' }, [f.emptyState('replies')], [{ caller, argument: f.stringArgument('x') }, { argument: f.stringArgument('y') }]),
  ];
  for (const req of reqs) {
    const a = await f.callOfficial(official, req);
    const b = await ours(req);
    console.log('OFFICIAL', Buffer.from(a).toString('hex'), raw(a));
    console.log('OURS    ', Buffer.from(b).toString('hex'), raw(b));
    console.log(JSON.stringify(f.normalise(FromFunctionCodec.decode(a))) === JSON.stringify(f.normalise(FromFunctionCodec.decode(b))));
  }
});
