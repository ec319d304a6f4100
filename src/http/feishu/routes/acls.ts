import { grantCalendarAccess, listCalendarAccess, revokeCalendarAccess, type AclEntry } from '../../../core/calendars/calendar-acl.ts';
import type { UserIdType } from '../../../core/attendees/attendee.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { feishuActor, idTypeOf, userIdIn } from '../context.ts';
import { parseAclId, parseCalendarId, renderAclId } from '../ids.ts';
import { FEISHU_READ, FEISHU_WRITE, ok } from '../reply.ts';
import { AclBody, AclListQuery, AclParams, CalendarParams, IdTypeQuery } from '../schemas.ts';
import { AclListReply, AclReply, EmptyDataReply } from '../replies.ts';

function renderAcl(entry: AclEntry, idType: UserIdType) {
  return { acl_id: renderAclId(entry.user.id), role: entry.role, scope: { type: 'user', user_id: userIdIn(entry.user, idType) ?? '' } };
}

/** calendarAcl.list's smallest page. */
const ACL_PAGE_MIN = 10;

/**
 * Calendar v4 `calendarAcl`: `POST /calendar/v4/calendars/:calendar_id/acls` `{role, scope:
 * {type: "user", user_id}}` → `{acl_id, role, scope}`; `GET …/acls` (page_size up to 50, default 10, under 10 taken as 10)
 * → `{acls, has_more, page_token}`; `DELETE …/acls/:acl_id` → `{}`. Only the calendar's owner
 * may; each change is pushed to `calendarAcl.subscription` subscribers.
 */
export function registerAclRoutes(app: HttpApp, deps: AppDeps): void {
  const base = '/calendar/v4/calendars/:calendar_id/acls';

  app.post(base, { schema: { params: CalendarParams, querystring: IdTypeQuery, body: AclBody, response: { 200: AclReply } }, config: { feishuScopes: FEISHU_WRITE } }, async (request) => {
    const actor = await feishuActor(deps, request);
    const idType = idTypeOf(request.query);
    const ref = { id: parseCalendarId(request.params.calendar_id) };
    const grantee = { id: request.body.scope.user_id, type: idType };
    const entry = await deps.store.transaction((tx) => grantCalendarAccess(tx, actor, ref, grantee, request.body.role, deps.clock.now()));
    return ok(renderAcl(entry, idType));
  });

  app.get(base, { schema: { params: CalendarParams, querystring: AclListQuery, response: { 200: AclListReply } }, config: { feishuScopes: FEISHU_READ } }, async (request) => {
    const actor = await feishuActor(deps, request);
    // "小于10取10" (calendar-acl/list, page_size): a smaller page is taken as 10, not refused.
    const size = Math.max(ACL_PAGE_MIN, request.query.page_size ?? ACL_PAGE_MIN);
    const after = request.query.page_token
      ? decodeToken<{ after: string }>(request.query.page_token, 'page_token', (v) => typeof v.after === 'string').after
      : '';
    const rows = await listCalendarAccess(deps.store.db, actor, { id: parseCalendarId(request.params.calendar_id) }, after, size + 1);
    const page = rows.slice(0, size);
    const hasMore = rows.length > size;
    const idType = idTypeOf(request.query);
    return ok({
      acls: page.map((e) => renderAcl(e, idType)),
      has_more: hasMore,
      page_token: hasMore ? encodeToken({ after: page[page.length - 1]!.user.id }) : '',
    });
  });

  app.delete(`${base}/:acl_id`, { schema: { params: AclParams, response: { 200: EmptyDataReply } }, config: { feishuScopes: FEISHU_WRITE } }, async (request) => {
    const actor = await feishuActor(deps, request);
    const ref = { id: parseCalendarId(request.params.calendar_id) };
    await deps.store.transaction((tx) => revokeCalendarAccess(tx, actor, ref, parseAclId(request.params.acl_id), deps.clock.now()));
    return ok({});
  });
}
