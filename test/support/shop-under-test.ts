import { startEmbeddedShop } from '../../launcher/src/embedded-shop';

/** A shop the API tests talk to over HTTP only: its base URL, and how to let go of it. */
export interface ShopUnderTest {
  readonly url: string;
  /**
   * True when this process started the shop for this test file alone, so that shared ids (the
   * "0".."n-1" that batch_init writes) belong to it; false for a shop given by SHOP_URL.
   */
  readonly exclusive: boolean;
  close(): Promise<void>;
}

/** The base URL of an already running shop to test instead of an embedded one, if any (env SHOP_URL). */
export function externalShopUrl(): string | undefined {
  const url = process.env.SHOP_URL?.trim();
  return url ? url.replace(/\/+$/, '') : undefined;
}

/** How an embedded shop under test is made slow: a reply timeout, and replies held back before the gateway sees them. */
export interface ShopOptions {
  replyTimeoutMs?: number;
  replyDelayMs?: number;
}

/**
 * The shop under test: the one at SHOP_URL when that is set (closing it does nothing), or else a
 * whole embedded shop started in this process on 127.0.0.1 and an ephemeral port, stopped by close().
 * An embedded shop's internal failures (a function that throws, a dropped egress) are not visible
 * over HTTP, so close() reports them by rejecting.
 */
export async function shopUnderTest(options: ShopOptions = {}): Promise<ShopUnderTest> {
  const external = externalShopUrl();
  if (external !== undefined) {
    return { url: external, exclusive: false, close: () => Promise.resolve() };
  }
  const failures: string[] = [];
  const shop = await startEmbeddedShop({
    port: 0,
    host: '127.0.0.1',
    replyTimeoutMs: options.replyTimeoutMs ?? 10_000,
    replyDelayMs: options.replyDelayMs,
    replyTtlSeconds: 600,
    onError: (message, error) =>
      failures.push(error === undefined ? message : `${message}: ${String(error)}`),
  });
  return {
    url: shop.url,
    exclusive: true,
    async close() {
      await shop.close();
      if (failures.length > 0) {
        throw new Error(`the embedded shop reported ${failures.length} failure(s):\n${failures.join('\n')}`);
      }
    },
  };
}
