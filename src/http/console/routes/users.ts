import type { AppDeps, HttpApp } from '../../deps.ts';
import * as repo from '../../../store/repositories/console.ts';
import { findTenant } from '../../../store/repositories/directory.ts';
import { listInbox } from '../../../store/repositories/inbox.ts';
import { bindingsOfUser } from '../../../store/repositories/exchange-bindings.ts';
import { sendPage } from '../render.ts';
import { appClientIds } from '../lookups.ts';
import { notFound } from '../not-found.ts';
import { UserPage } from '../views/user.tsx';
import { listCaldavAccounts, revokeCaldav } from '../../../core/auth/caldav-accounts.ts';

const LIMITS = { events: 200, inbox: 200 };

/** `GET /console/users/:id` (internal user id); `POST /console/users/:id/caldav-accounts/:account/revoke`. */
export function userRoutes(app: HttpApp, deps: AppDeps): void {
  app.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const db = deps.store.db;
    const user = await repo.findUser(db, request.params.id);
    if (!user) return notFound(reply, 'No such user.');
    const [tenant, calendars, events, inbox, apps, exchangeBindings, caldavAccounts] = await Promise.all([
      findTenant(db, user.tenant_id), repo.userCalendars(db, user.id), repo.userEvents(db, user.id, LIMITS.events),
      listInbox(db, user.id, LIMITS.inbox), appClientIds(db), bindingsOfUser(db, user.id), listCaldavAccounts(db, user.id),
    ]);
    const names = await repo.namesOf(db, [
      ...events.map((e) => ({ kind: 'user', ref: e.organizer_id })),
      ...calendars.flatMap((c) => (c.owner_user_id ? [{ kind: 'user', ref: c.owner_user_id }] : [])),
    ]);
    return sendPage(reply, UserPage, { user, tenantName: tenant?.name ?? user.tenant_id, calendars, events, inbox, names, appClientIds: apps, limits: LIMITS, exchangeBindings, caldavAccounts });
  });

  // Revokes one of the user's CalDAV passwords (as DELETE /admin/v1/caldav-accounts/:id does).
  app.post<{ Params: { id: string; account: string } }>('/users/:id/caldav-accounts/:account/revoke', async (request, reply) => {
    const owned = (await listCaldavAccounts(deps.store.db, request.params.id)).some((a) => a.id === request.params.account);
    if (!owned) return notFound(reply, 'No such CalDAV password.');
    await deps.store.transaction((tx) => revokeCaldav(tx, request.params.account, deps.clock.now()));
    return reply.redirect(`/console/users/${encodeURIComponent(request.params.id)}#caldav`, 303);
  });
}
