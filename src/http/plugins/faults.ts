import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../core/actor.ts';
import { findApp } from '../../store/repositories/directory.ts';
import type { AppDeps } from '../deps.ts';

/**
 * The names a fault may aim at for this request: the SDK's operation name from the dialect's
 * table, and `METHOD /full/route/:pattern`.
 */
export function operationNames(request: FastifyRequest, table: Readonly<Record<string, string>>): string[] {
  const route = `${request.method} ${request.routeOptions.url ?? ''}`;
  const name = table[route];
  return name ? [name, route] : [route];
}

/**
 * Lets faults reach the calls made without an access token (the token endpoints), whose app is
 * named in the body: checked once the body is parsed, before the handler.
 * @param clientIdOf the app's client id in the request body (appKey, app_id), if any.
 */
export function faultsOnAnonymousRoutes(app: FastifyInstance, deps: AppDeps, platform: Platform, table: Readonly<Record<string, string>>, clientIdOf: (body: unknown) => unknown): void {
  app.addHook('preHandler', async (request) => {
    if (!request.routeOptions.config.anonymous || !deps.sandbox.faults.armed) return;
    const clientId = clientIdOf(request.body);
    if (typeof clientId !== 'string') return;
    const found = await findApp(deps.store.db, platform, clientId);
    if (found) await deps.sandbox.faults.apply(deps.store.db, found.id, operationNames(request, table));
  });
}
