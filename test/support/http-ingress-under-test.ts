import type { HttpIngressConfig } from '../../services/gateway/src/http-ingress/config';
import { startEmbeddedShop } from '../../launcher/src/embedded-shop';
import { externalShopUrl } from './shop-under-test';

/** A shop with its HTTP ingress, as the tests reach them: over HTTP only. */
export interface HttpIngressUnderTest {
  /** The REST API's base URL. */
  readonly restUrl: string;
  /** The ingress's base URL, e.g. `http://127.0.0.1:5555` (https with TLS). */
  readonly ingressUrl: string;
  /** Its path prefix, without slashes (`in`). */
  readonly prefix: string;
  /** True for an embedded shop started for this file; false for the one at SHOP_URL. */
  readonly exclusive: boolean;
  close(): Promise<void>;
}

/** An ingress on 127.0.0.1, an ephemeral port, the default prefix, no TLS. */
export const localIngress: HttpIngressConfig = {
  host: '127.0.0.1',
  port: 0,
  sharesRestPort: false,
  pathPrefix: 'in',
  tls: undefined,
};

/**
 * The ingress of the shop at SHOP_URL when that is set: HTTP_INGRESS_URL, or else SHOP_URL's host on
 * port 5555 (the default), with prefix HTTP_INGRESS_PATH (default `in`). Otherwise a whole embedded shop
 * in this process with the ingress configured as given, stopped by close(), which rejects if the shop
 * reported internal failures.
 */
export async function httpIngressUnderTest(
  options: { httpIngress?: HttpIngressConfig; replyTtlSeconds?: number } = {},
): Promise<HttpIngressUnderTest> {
  const external = externalShopUrl();
  if (external !== undefined) {
    const fallback = new URL(external);
    fallback.port = '5555';
    return {
      restUrl: external,
      ingressUrl: (process.env.HTTP_INGRESS_URL ?? fallback.origin).replace(/\/+$/, ''),
      prefix: (process.env.HTTP_INGRESS_PATH ?? 'in').replace(/^\/+|\/+$/g, ''),
      exclusive: false,
      close: () => Promise.resolve(),
    };
  }
  const failures: string[] = [];
  const httpIngress = options.httpIngress ?? localIngress;
  const shop = await startEmbeddedShop({
    port: 0,
    host: '127.0.0.1',
    replyTimeoutMs: 10_000,
    replyTtlSeconds: options.replyTtlSeconds ?? 600,
    httpIngress,
    onError: (message, error) =>
      failures.push(error === undefined ? message : `${message}: ${String(error)}`),
  });
  const ingressUrl = shop.httpIngressUrl;
  if (ingressUrl === undefined) throw new Error('the embedded shop started without its HTTP ingress');
  return {
    restUrl: shop.url,
    ingressUrl,
    prefix: httpIngress.pathPrefix,
    exclusive: true,
    async close() {
      await shop.close();
      if (failures.length > 0) {
        throw new Error(`the embedded shop reported ${failures.length} failure(s):\n${failures.join('\n')}`);
      }
    },
  };
}
