import { SCOPES } from '../../../core/auth/scopes.ts';
import { grantCalendarAccess, listCalendarAccess, revokeCalendarAccess, type AclEntry } from '../../../core/calendars/calendar-acl.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { privilegeOf, roleOf } from '../acl-privileges.ts';
import { actingUser, calendarRef } from '../context.ts';
import { parseId, renderId } from '../ids.ts';
import { AclParams, CalendarParams, CreateAclsBody } from '../schemas.ts';
import { AclReply, EmptyReply, ListAclsReply } from '../replies.ts';

/** listAcls answers the whole list in one reply; a calendar's list is bounded by its members. */
const MAX_LISTED = 1000;

function renderAcl(entry: AclEntry) {
  return { aclId: renderId(entry.user.id), privilege: privilegeOf(entry.role), scope: { scopeType: 'user', userId: entry.user.union_id } };
}

/**
 * DingTalk calendar ACLs over the core's calendar access list (the one Feishu's calendarAcl
 * serves): createAcls (`POST …/calendars/{calendarId}/acls` `{privilege, scope{scopeType:
 * "user", userId}, sendMsg}` → the entry), listAcls (`GET …/acls` → `{acls}`), deleteAcl
 * (`DELETE …/acls/{aclId}` → empty 200; an id that names no entry changes nothing). Only the
 * calendar's owner may. Privileges map to roles in acl-privileges.ts.
 */
export function registerAcls(app: HttpApp, deps: AppDeps): void {
  const base = '/calendar/users/:userId/calendars/:calendarId/acls';

  app.post(base, { schema: { params: CalendarParams, body: CreateAclsBody, response: { 200: AclReply } }, config: { scope: SCOPES.calendarWrite } }, async (request) => {
    const { privilege, scope } = request.body;
    const role = roleOf(privilege);
    if (scope.scopeType !== 'user') fail('INVALID_PARAMETER', 'scope.scopeType must be user');
    if (!scope.userId) fail('INVALID_PARAMETER', 'scope.userId is required');
    const actor = await actingUser(deps, request, request.params.userId);
    const entry = await deps.store.transaction((tx) =>
      grantCalendarAccess(tx, actor, calendarRef(request.params.calendarId), { id: scope.userId, type: 'union_id' }, role, deps.clock.now()));
    return renderAcl(entry);
  });

  app.get(base, { schema: { params: CalendarParams, response: { 200: ListAclsReply } }, config: { scope: SCOPES.calendarRead } }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const entries = await listCalendarAccess(deps.store.db, actor, calendarRef(request.params.calendarId), '', MAX_LISTED);
    return { acls: entries.map(renderAcl) };
  });

  app.delete(`${base}/:aclId`, { schema: { params: AclParams, response: { 200: EmptyReply } }, config: { scope: SCOPES.calendarWrite } }, async (request, reply) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const userId = parseId(request.params.aclId) ?? '';
    // No idempotency key on deleteAcl: runWrite is the transaction with an empty 200 reply.
    const stored = await runWrite(deps, request, actor.appId, undefined, (tx) =>
      revokeCalendarAccess(tx, actor, calendarRef(request.params.calendarId), userId, deps.clock.now()));
    return sendStored(reply, stored);
  });
}
