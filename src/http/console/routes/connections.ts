import { findAppById } from '../../../store/repositories/directory.ts';
import { listTenants } from '../../../store/repositories/console.ts';
import { listConnections, requestClose } from '../../../store/repositories/stream-connections.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { notFound } from '../not-found.ts';
import { sendPage } from '../render.ts';
import { ConnectionsPage, type ConnectionItem } from '../views/connections.tsx';

/**
 * `GET /console/connections`: the open long connections (DingTalk Stream Mode, Feishu WebSocket)
 * of every process, with their app and tenant; `POST /console/connections/:id/close` asks the
 * holder to close one (as `DELETE /admin/v1/connections/:id`), and the SDK reconnects by itself.
 */
export function connectionRoutes(app: HttpApp, deps: AppDeps): void {
  app.get('/connections', async (_request, reply) => {
    const db = deps.store.db;
    const [rows, tenants] = await Promise.all([listConnections(db), listTenants(db)]);
    const apps = new Map((await Promise.all([...new Set(rows.map((r) => r.app_id))].map((id) => findAppById(db, id))))
      .flatMap((a) => (a ? [[a.id, a] as const] : [])));
    const tenantNames = new Map(tenants.map((t) => [t.id, t.name]));
    const items: ConnectionItem[] = rows.map((r) => ({
      id: r.id, clientId: apps.get(r.app_id)?.client_id ?? r.app_id, platform: apps.get(r.app_id)?.platform ?? '',
      tenant: tenantNames.get(r.tenant_id) ?? r.tenant_id, holder: r.holder,
      openedAt: Number(r.opened_at), seenAt: Number(r.seen_at), closing: Number(r.close_requested) === 1,
    }));
    return sendPage(reply, ConnectionsPage, { connections: items });
  });

  app.post<{ Params: { id: string } }>('/connections/:id/close', async (request, reply) => {
    if (!(await deps.store.transaction((tx) => requestClose(tx, request.params.id)))) return notFound(reply, 'No such connection.');
    return reply.redirect('/console/connections', 303);
  });
}
