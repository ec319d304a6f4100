import type { AppDeps, HttpApp } from '../../deps.ts';
import { listTenants } from '../../../store/repositories/console.ts';
import { listRooms } from '../../../store/repositories/console-rooms.ts';
import { sendPage } from '../render.ts';
import { RoomsPage } from '../views/rooms.tsx';

const ROOMS_SHOWN = 500;

/** `GET /console/rooms`: every tenant's meeting rooms, each linking to its week. */
export function roomRoutes(app: HttpApp, deps: AppDeps): void {
  app.get('/rooms', async (_request, reply) => {
    const db = deps.store.db;
    const [rooms, tenants] = await Promise.all([listRooms(db, ROOMS_SHOWN), listTenants(db)]);
    return sendPage(reply, RoomsPage, { rooms, tenantNames: new Map(tenants.map((t) => [t.id, t.name])), limit: ROOMS_SHOWN });
  });
}
