import { addAttendees } from '../../../core/attendees/add-attendees.ts';
import { listChatMembers } from '../../../core/attendees/chat-members.ts';
import { listAttendees } from '../../../core/attendees/list-attendees.ts';
import { removeAttendees, type RemovalSpec } from '../../../core/attendees/remove-attendees.ts';
import type { UserIdType } from '../../../core/attendees/attendee.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { feishuActor, idTypeOf, userIdIn } from '../context.ts';
import { parseAttendeeId, parseCalendarId, parseEventId } from '../ids.ts';
import { FEISHU_READ, FEISHU_WRITE, ok } from '../reply.ts';
import { parseAttendees, renderAttendee, RSVP } from '../mapper.ts';
import { AttendeeParams, BatchDeleteBody, CreateAttendeesBody, EventParams, IdTypeQuery, ListAttendeesQuery } from '../schemas.ts';
import { botChannel } from './events.ts';
import { AttendeeListReply, AttendeesCreatedReply, ChatMemberListReply, EmptyDataReply } from '../replies.ts';

/** `instance_start_time_admin`: Unix seconds as a string, or absent. */
function instanceStart(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,12}$/.test(value)) fail('INVALID_PARAMETER', 'instance_start_time_admin must be Unix seconds');
  return Number(value);
}

type DeleteId = NonNullable<(typeof BatchDeleteBody)['static']['delete_ids']>[number];

/**
 * seed 001: `delete_ids` name attendees by type and the id of that type.
 * @throws KalendsError ATTENDEE_TYPE_INVALID (194004) for an unknown type or a missing id.
 */
function removalOf(d: DeleteId, idType: UserIdType): RemovalSpec {
  if (d.type === 'user' && d.user_id) return { kind: 'user', idType, id: d.user_id };
  if (d.type === 'chat' && d.chat_id) return { kind: 'chat', chatId: d.chat_id };
  if (d.type === 'resource' && d.room_id) return { kind: 'resource', roomId: d.room_id };
  if (d.type === 'third_party' && d.third_party_email) return { kind: 'third_party', email: d.third_party_email };
  return fail('ATTENDEE_TYPE_INVALID', `invalid attendee type: ${JSON.stringify(d.type)} with its id`);
}

/**
 * Calendar v4 `calendar.event.attendee`: create → `{attendees}` with their `attendee_id`; list
 * (page_size ≤ 100, default 20, in the order added); batch_delete exactly as seed 001
 * (`attendee_ids` and/or `delete_ids`, 500 together at most); a chat attendee's `chat_members`.
 */
export function registerAttendeeRoutes(app: HttpApp, deps: AppDeps): void {
  const base = '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees';

  app.post(base, { schema: { params: EventParams, querystring: IdTypeQuery, body: CreateAttendeesBody, response: { 200: AttendeesCreatedReply } }, config: { feishuScopes: FEISHU_WRITE } }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const idType = idTypeOf(request.query);
    const body = request.body;
    const specs = parseAttendees(body.attendees, idType);
    const instance = instanceStart(body.instance_start_time_admin);
    const actor = await feishuActor(deps, request);
    if (body.add_operator_to_attendee && actor.user.bot_app_id === null) specs.push({ kind: 'user', idType: 'union_id', id: actor.user.union_id, isOptional: false });
    const views = await deps.store.transaction((tx) =>
      addAttendees(tx, actor, { id: calendarId }, eventId, specs, botChannel(body.need_notification), deps.clock.now(), instance));
    return ok({ attendees: views.map((a) => renderAttendee(a, idType)) });
  });

  app.get(base, { schema: { params: EventParams, querystring: ListAttendeesQuery, response: { 200: AttendeeListReply } }, config: { feishuScopes: FEISHU_READ } }, async (request) => {
    const q = request.query;
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const after = q.page_token ? decodeToken<{ a: number }>(q.page_token, 'page_token', (v) => Number.isSafeInteger(v.a)).a : 0;
    const actor = await feishuActor(deps, request);
    const page = await listAttendees(deps.store.db, actor, { id: calendarId }, eventId, after, q.page_size ?? 20);
    return ok({
      items: page.items.map((a) => renderAttendee(a, idTypeOf(q))),
      has_more: page.next !== null,
      page_token: page.next === null ? undefined : encodeToken({ a: page.next }),
    });
  });

  app.post(`${base}/batch_delete`, { schema: { params: EventParams, querystring: IdTypeQuery, body: BatchDeleteBody, response: { 200: EmptyDataReply } }, config: { feishuScopes: FEISHU_WRITE } }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const body = request.body;
    const idType = idTypeOf(request.query);
    const specs: RemovalSpec[] = [
      ...(body.attendee_ids ?? []).map((id) => ({ kind: 'attendee' as const, ...parseAttendeeId(id) })),
      ...(body.delete_ids ?? []).map((d) => removalOf(d, idType)),
    ];
    const instance = instanceStart(body.instance_start_time_admin);
    const actor = await feishuActor(deps, request);
    await deps.store.transaction((tx) =>
      removeAttendees(tx, actor, { id: calendarId }, eventId, specs, botChannel(body.need_notification), deps.clock.now(), instance));
    return ok({});
  });

  app.get(`${base}/:attendee_id/chat_members`, { schema: { params: AttendeeParams, querystring: ListAttendeesQuery, response: { 200: ChatMemberListReply } }, config: { feishuScopes: FEISHU_READ } }, async (request) => {
    const q = request.query;
    const calendarId = parseCalendarId(request.params.calendar_id);
    const eventId = parseEventId(request.params.event_id);
    const attendee = parseAttendeeId(request.params.attendee_id);
    if (attendee.type !== 'chat') fail('ATTENDEE_NOT_FOUND', `attendee not found: ${request.params.attendee_id} is not a chat attendee`);
    const after = q.page_token ? decodeToken<{ u: string }>(q.page_token, 'page_token', (v) => typeof v.u === 'string').u : '';
    const actor = await feishuActor(deps, request);
    const page = await listChatMembers(deps.store.db, actor, { id: calendarId }, eventId, attendee.seq, after, q.page_size ?? 20);
    return ok({
      items: page.items.map((m) => ({
        rsvp_status: RSVP[m.partstat], is_optional: false, display_name: m.displayName,
        // The SDK names the field open_id; it carries the id of the requested user_id_type.
        open_id: m.user ? userIdIn(m.user, idTypeOf(q)) : undefined, is_organizer: m.isOrganizer, is_external: false,
      })),
      has_more: page.next !== null,
      page_token: page.next === null ? undefined : encodeToken({ u: page.next }),
    });
  });
}
