import type { AppDeps, HttpApp } from '../../deps.ts';
import * as repo from '../../../store/repositories/console.ts';
import { iso } from '../format.ts';
import { sendPage } from '../render.ts';
import { OverviewPage } from '../views/overview.tsx';

/** Users listed per tenant on the overview; the rest are found with the search box. */
const USERS_PER_TENANT = 200;

/** `GET /console`: tenants, their apps (with callback verification) and users. */
export function overviewRoutes(app: HttpApp, deps: AppDeps): void {
  app.get('/', async (_request, reply) => {
    const db = deps.store.db;
    const [tenants, apps, userCounts] = await Promise.all([repo.listTenants(db), repo.listApps(db), repo.countUsersByTenant(db)]);
    const users = new Map(await Promise.all(tenants.map(async (t) => [t.id, await repo.listTenantUsers(db, t.id, USERS_PER_TENANT)] as const)));
    return sendPage(reply, OverviewPage, { tenants, apps, users, userCounts, serverNow: iso(deps.clock.now()) });
  });
}
