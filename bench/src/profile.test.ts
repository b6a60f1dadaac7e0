import { areaOf, formatProfile, summariseProfile, type CpuProfile } from './profile';

describe('bench > profile', () => {
  it('names the area of a function by where its code lives', () => {
    const root = '/repo';
    expect(areaOf('file:///repo/node_modules/express/lib/router.js', 'handle', root)).toBe('express');
    expect(areaOf('file:///repo/node_modules/@protobufjs/utf8/index.js', 'read', root)).toBe(
      '@protobufjs/utf8',
    );
    expect(areaOf('file:///repo/libs/statefun/dist/handler.js', 'invoke', root)).toBe('libs/statefun');
    expect(areaOf('file:///repo/services/gateway/dist/app.js', 'x', root)).toBe('services/gateway');
    expect(areaOf('node:internal/http/server', 'parserOnIncoming', root)).toBe('node:http');
    expect(areaOf('node:events', 'emit', root)).toBe('node:events');
    expect(areaOf('', '(garbage collector)', root)).toBe('garbage collection');
    expect(areaOf('', '(idle)', root)).toBe('idle');
  });

  it('adds up self time by area and by function, leaving idle time out of the shares', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        {
          id: 3,
          callFrame: {
            functionName: 'handle',
            url: 'file:///repo/node_modules/express/lib/router.js',
            lineNumber: 9,
          },
        },
        {
          id: 4,
          callFrame: { functionName: 'encode', url: 'file:///repo/protos/dist/codec.js', lineNumber: 0 },
        },
      ],
      // Each sample's time is the delta before the next one.
      samples: [3, 3, 4, 2, 3],
      timeDeltas: [0, 1000, 1000, 1000, 2000, 1000],
    };
    const summary = summariseProfile(profile, 'p.cpuprofile', 10, '/repo');
    expect(summary.totalMs).toBe(6);
    expect(summary.busyMs).toBe(4);
    expect(summary.areas).toEqual([
      { name: 'express', selfMs: 3, percent: 75 },
      { name: 'protos', selfMs: 1, percent: 25 },
    ]);
    expect(summary.functions[0]).toEqual({ name: 'handle (express router.js:10)', selfMs: 3, percent: 75 });
    expect(formatProfile(summary)[0]).toBe('profile p.cpuprofile: 4 ms busy of 6 ms sampled');
  });
});
