import type { FastifyRequest } from 'fastify';

/**
 * The names a fault may aim at for this request: the SDK's operation name from the dialect's
 * table, and `METHOD /full/route/:pattern`.
 */
export function operationNames(request: FastifyRequest, table: Readonly<Record<string, string>>): string[] {
  const route = `${request.method} ${request.routeOptions.url ?? ''}`;
  const name = table[route];
  return name ? [name, route] : [route];
}
