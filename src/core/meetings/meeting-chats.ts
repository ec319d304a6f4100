import { randomBytes } from 'node:crypto';
import type { Actor } from '../actor.ts';
import { resolveEvent, type CalendarRef, type EventAccess } from '../acl/access.ts';
import { fail } from '../errors.ts';
import type { EventKey } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import {
  deleteMeetingChat, findMeetingChat, findMeetingMinute, insertMeetingChat, insertMeetingMinute,
  type MeetingChatRow, type MeetingMinuteRow,
} from '../../store/repositories/meeting-chats.ts';

/**
 * Meeting chats and minutes of an event, as Feishu's calendarEventMeetingChat and
 * calendarEventMeetingMinute make them. The sandbox sends nothing and makes no document: it
 * records the chat (its `oc_…` id and its owner, the identity that made it) and the minutes'
 * document token, one of each per event, both gone when the event is deleted.
 * Sources: calendar-v4/calendar-event-meeting_chat/create and delete,
 * calendar-event-meeting_minute/create ("所操作的日历需要是当前身份的主日历").
 */

/**
 * Both operations act on the caller's own primary calendar (with its writer role, which a
 * user has on their own primary); an event elsewhere is refused.
 * @throws KalendsError CALENDAR_TYPE_INVALID (191004) when the calendar is not the caller's primary.
 */
async function eventOnOwnPrimary(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, now: number): Promise<EventAccess> {
  const access = await resolveEvent(tx, actor, ref, key, false, true, now);
  if (!access.calendar.isOwnPrimary) fail('CALENDAR_TYPE_INVALID', 'the calendar must be the primary calendar of the caller');
  return access;
}

/**
 * The event's meeting chat, made now if it has none (a second call answers the same chat).
 * @throws KalendsError those of resolveEvent, CALENDAR_TYPE_INVALID.
 */
export async function createMeetingChat(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, now: number): Promise<MeetingChatRow> {
  const { event } = await eventOnOwnPrimary(tx, actor, ref, key, now);
  const existing = await findMeetingChat(tx, event.id);
  if (existing) return existing;
  const row = { event_id: event.id, tenant_id: actor.tenantId, chat_id: `oc_${randomBytes(16).toString('hex')}`, owner_user_id: actor.userId, created_at: now };
  await insertMeetingChat(tx, row);
  return row;
}

/**
 * Unbinds the event's meeting chat `chatId`; only its owner may ("当前的操作人需要是会议群的群主").
 * @throws KalendsError INVALID_PARAMETER (not this event's meeting chat), EVENT_PERMISSION_DENIED
 *   (not its owner), those of resolveEvent, CALENDAR_TYPE_INVALID.
 */
export async function unbindMeetingChat(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, chatId: string, now: number): Promise<void> {
  const { event } = await eventOnOwnPrimary(tx, actor, ref, key, now);
  const chat = await findMeetingChat(tx, event.id);
  if (!chat || chat.chat_id !== chatId) fail('INVALID_PARAMETER', `meeting_chat_id ${chatId} is not the meeting chat of this event`);
  if (chat.owner_user_id !== actor.userId) fail('EVENT_PERMISSION_DENIED', 'only the owner of the meeting chat may unbind it');
  await deleteMeetingChat(tx, event.id);
}

/**
 * The event's minutes document, made now if it has none. The event needs an attendee and an
 * `attendee_ability` other than `none` ("所操作的日程内至少需要有 1 个参与人，且参与人权限不能为 none").
 * @throws KalendsError INVALID_PARAMETER (no attendee, or attendees may not see each other),
 *   those of resolveEvent, CALENDAR_TYPE_INVALID.
 */
export async function createMeetingMinute(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, now: number): Promise<MeetingMinuteRow> {
  const { event } = await eventOnOwnPrimary(tx, actor, ref, key, now);
  if (event.attendeeCount === 0) fail('INVALID_PARAMETER', 'the event needs at least one attendee for meeting minutes');
  if (event.details.attendeeAbility === 'none') fail('INVALID_PARAMETER', 'the attendee_ability of the event must not be none for meeting minutes');
  const existing = await findMeetingMinute(tx, event.id);
  if (existing) return existing;
  const row = { event_id: event.id, tenant_id: actor.tenantId, doc_token: `doxcn${randomBytes(12).toString('base64url')}`, created_by: actor.userId, created_at: now };
  await insertMeetingMinute(tx, row);
  return row;
}
