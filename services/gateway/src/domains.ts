import type { Router } from 'express';
import type { Ingress } from '@shop/service-kit';
import { ordersRoutes } from '@shop/orders-service';
import { paymentsRoutes } from '@shop/payments-service';
import { stockRoutes } from '@shop/stock-service';
import { usersRoutes } from '@shop/users-service';

/** The REST domains, each a service of its own: its routes turn calls into its ingress messages. */
export const DOMAINS = ['users', 'payments', 'stock', 'orders'] as const;
export type Domain = (typeof DOMAINS)[number];

const ROUTES: Record<Domain, (ingress: Ingress) => Router> = {
  users: usersRoutes,
  payments: paymentsRoutes,
  stock: stockRoutes,
  orders: ordersRoutes,
};

/** The routers of `domains`, in the API's order. */
export function domainRoutes(domains: readonly Domain[], ingress: Ingress): Router[] {
  return DOMAINS.filter((domain) => domains.includes(domain)).map((domain) => ROUTES[domain](ingress));
}

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
