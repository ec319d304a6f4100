import type { FastifyInstance } from 'fastify';

/** A registered route: its method(s) and full URL template (`/v1.0/calendar/users/:userId/…`). */
export interface RouteEntry {
  methods: string[];
  url: string;
  hidden: boolean;
}

const lists = new WeakMap<object, RouteEntry[]>();

/**
 * Records every route registered on `app` from now on (an onRoute hook: Fastify has no public
 * list of routes), so tests and documents can be checked against what the app really serves.
 * HEAD routes that Fastify adds for each GET are left out.
 */
export function recordRoutes(app: FastifyInstance): void {
  const list: RouteEntry[] = [];
  lists.set(app, list);
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    if (methods.length === 0) return;
    list.push({ methods, url: route.url, hidden: (route.schema as { hide?: boolean } | undefined)?.hide === true });
  });
}

/** The routes recorded by `recordRoutes` on this app (empty when it never ran). */
export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  return lists.get(app) ?? [];
}
