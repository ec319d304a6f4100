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

/** How a dialect names the app of a request: by its access token, or (token endpoints) in the body. */
export interface FaultTarget {
  platform: Platform;
  /** The dialect's operation names by `METHOD /route`. */
  operations: Readonly<Record<string, string>>;
  /** The internal id of the app the auth hook found, if any. */
  appOf(request: FastifyRequest): string | null;
  /** The app's client id in the body of a call made without a token (appKey, app_id). */
  clientIdOf(body: unknown): unknown;
}

/**
 * Applies the sandbox's injected faults to a dialect's calls, once the body is parsed (so the
 * API-call log shows what was sent) and before the handler runs: nothing of a failed call is done.
 */
export function applyFaults(app: FastifyInstance, deps: AppDeps, target: FaultTarget): void {
  app.addHook('preHandler', async (request) => {
    if (!deps.sandbox.faults.armed) return;
    let appId = target.appOf(request);
    if (!appId && request.routeOptions.config.anonymous) {
      const clientId = target.clientIdOf(request.body);
      if (typeof clientId === 'string') appId = (await findApp(deps.store.db, target.platform, clientId))?.id ?? null;
    }
    if (appId) await deps.sandbox.faults.apply(deps.store.db, appId, operationNames(request, target.operations));
  });
}
