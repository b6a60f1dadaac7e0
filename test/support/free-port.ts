import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now: free to bind, and refused at once when connected to.
 * Another process may take it before the caller uses it; callers that bind retry on EADDRINUSE.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
