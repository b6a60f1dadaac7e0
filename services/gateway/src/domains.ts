import type { Ingress, Operation } from '@shop/service-kit';
import { ordersApi } from '@shop/orders-service';
import { paymentsApi } from '@shop/payments-service';
import { stockApi } from '@shop/stock-service';
import { usersApi } from '@shop/users-service';

/** The REST domains, each a service of its own: its routes turn calls into its ingress messages. */
export const DOMAINS = ['users', 'payments', 'stock', 'orders'] as const;
export type Domain = (typeof DOMAINS)[number];

const APIS: Record<Domain, (ingress: Ingress) => Operation[]> = {
  users: usersApi,
  payments: paymentsApi,
  stock: stockApi,
  orders: ordersApi,
};

/** The operations of `domains`, in the API's order. */
export function domainOperations(domains: readonly Domain[], ingress: Ingress): Operation[] {
  return DOMAINS.filter((domain) => domains.includes(domain)).flatMap((domain) => APIS[domain](ingress));
}

export const DOMAIN_TAGS: Record<Domain, { name: string; description: string }> = {
  users: { name: 'users', description: 'Users and their credit' },
  payments: { name: 'payment', description: 'The same users, as payment accounts' },
  stock: { name: 'stock', description: 'Items: stock and price' },
  orders: { name: 'orders', description: 'Orders, and checkout: a saga across order, items and user' },
};

/**
 * SHOP_DOMAINS: which domain services this process runs, comma-separated (default: all). A deployment
 * that scales one domain on its own runs the gateway program with just that domain.
 */
export function parseDomains(raw: string | undefined): Domain[] {
  if (raw === undefined || raw.trim() === '') return [...DOMAINS];
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(DOMAINS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`SHOP_DOMAINS must be a comma-separated list of ${DOMAINS.join(', ')}, got "${raw}"`);
  }
  return DOMAINS.filter((domain) => names.includes(domain));
}
