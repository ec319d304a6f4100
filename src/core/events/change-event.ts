import type { Actor } from '../actor.ts';
import { canModify, resolveEvent, type CalendarRef } from '../acl/access.ts';
import type { AttendeeSpec } from '../attendees/attendee.ts';
import { addToEvent } from '../attendees/add-attendees.ts';
import { checkBatchSize, MAX_ATTENDEES_PER_CALL, MAX_ATTENDEES_PER_EVENT } from '../attendees/limits.ts';
import { resolveAttendees } from '../attendees/resolve-attendees.ts';
import { fail } from '../errors.ts';
import { recordChange, type NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { deleteAttendees, pageAttendees, userAttendeeIds } from '../../store/repositories/attendees.ts';
import { saveEvent } from '../../store/repositories/events.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';

import type { EventDetails, EventInput } from './event.ts';
import { viewEvent, type EventView } from './event-view.ts';
import { validateEventInput } from './validate-event.ts';
import { isSeriesMaster } from '../recurrence/occurrences.ts';
import { applySeriesChange, cancelExceptions } from '../recurrence/series-change.ts';
import { recheckRooms } from '../rooms/room-booking.ts';
import { deleteMeetingArtifacts } from '../../store/repositories/meeting-chats.ts';
import type { EventKey } from './event.ts';

/**
 * Changes an event's attributes; fields left undefined keep their value. A key naming one
 * occurrence of a series changes that occurrence alone (it becomes an exception); a change of
 * the master is carried to the exceptions (applySeriesChange). When `attendees` is
 * given it is the event's whole new attendee list (DingTalk PatchEvent): those not named are
 * removed (never the organizer), new ones are added. New times or a new rule check the event's
 * meeting rooms again (recheckRooms).
 * @throws KalendsError EVENT_PERMISSION_DENIED (not organizer or writer), INVALID_PARAMETER,
 *   MEETING_ROOM_UNAVAILABLE, those of resolveEvent and addAttendees.
 */
export async function patchEvent(
  tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, patch: Partial<EventInput>,
  attendees: readonly AttendeeSpec[] | undefined, channels: readonly NotifyChannel[], now: number,
): Promise<EventView> {
  if (attendees) checkBatchSize(attendees.length);
  const access = await resolveEvent(tx, actor, ref, key, false, true, now);
  if (!canModify(access)) fail('EVENT_PERMISSION_DENIED', 'no permission to operate event: only the organizer or a writer of the calendar may change it');
  const { event } = access;
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<EventInput>;
  if (event.seriesMasterId !== null && defined.recurrence) fail('INVALID_PARAMETER', 'an instance of a recurring event takes no recurrence of its own');
  const next = { ...event, ...defined, details: mergeDetails(event.details, defined.details ?? {}) };
  next.range = validateEventInput(next);
  next.changeSeq = await nextChangeSeq(tx, actor.tenantId);
  next.updatedAt = now;
  if (attendees) await replaceAttendees(tx, actor, next, attendees, now);
  if (defined.start || defined.end || defined.recurrence !== undefined) await recheckRooms(tx, next, actor.platform === 'dingtalk' ? 'refuse' : 'decline', now);
  await saveEvent(tx, next);
  if (isSeriesMaster(event)) await applySeriesChange(tx, event, next, next.changeSeq, now);
  await recordChange(tx, actor, {
    topic: 'event.updated', eventId: event.id, recipients: await userAttendeeIds(tx, event.id), channels, data: {},
  }, now);
  return viewEvent(tx, next, actor.userId, MAX_ATTENDEES_PER_CALL);
}

/**
 * A patch's details over the stored ones: each attribute given replaces the stored one, and the
 * attributes only one platform has are merged key by key, so a patch through one dialect keeps
 * what the other (or an earlier patch) stored.
 */
function mergeDetails(stored: EventDetails, patch: EventDetails): EventDetails {
  const merged: EventDetails = { ...stored, ...patch };
  for (const platform of ['dingtalk', 'feishu'] as const) {
    if (stored[platform] && patch[platform]) merged[platform] = { ...stored[platform], ...patch[platform] };
  }
  return merged;
}

async function replaceAttendees(tx: Db, actor: Actor, event: EventView['event'], specs: readonly AttendeeSpec[], now: number): Promise<void> {
  const wanted = await resolveAttendees(tx, actor.tenantId, specs);
  const keep = new Set(wanted.map((a) => `${a.kind}:${a.ref}`));
  const current = await pageAttendees(tx, event.id, 0, MAX_ATTENDEES_PER_EVENT);
  const drop = current.filter((r) => !keep.has(`${r.kind}:${r.ref}`) && !(r.kind === 'user' && r.ref === event.organizerId));
  for (const kind of ['user', 'chat', 'resource', 'third_party']) {
    event.attendeeCount -= await deleteAttendees(tx, event.id, kind, drop.filter((r) => r.kind === kind).map((r) => r.ref));
  }
  await addToEvent(tx, actor, event, specs, [], now, false);
}

/**
 * Deletes an event: it reads as `cancelled` afterwards. Deleting a series' master deletes the
 * series with its exceptions; deleting one occurrence (a key with an original start) cancels
 * that occurrence alone (a cancelled exception: RFC 5545 EXDATE). and leaves listings (but for
 * `showDeleted` and sync). Only the organizer or a writer of the calendar may delete.
 * @throws KalendsError EVENT_PERMISSION_DENIED, those of resolveEvent.
 */
export async function deleteEvent(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, channels: readonly NotifyChannel[], now: number): Promise<void> {
  const { event, canWrite } = await resolveEvent(tx, actor, ref, key, false, true, now);
  if (!canWrite) fail('EVENT_PERMISSION_DENIED', 'only the organizer or a writer of the calendar may delete the event');
  const deleted = { ...event, status: 'cancelled', deletedAt: now, updatedAt: now, changeSeq: await nextChangeSeq(tx, actor.tenantId) };
  await saveEvent(tx, deleted);
  if (isSeriesMaster(event)) await cancelExceptions(tx, event.id, deleted.changeSeq, now);
  // A deleted event's meeting chat and minutes end with it (Feishu meeting_chat / meeting_minute).
  await deleteMeetingArtifacts(tx, event.id);
  await recordChange(tx, actor, {
    topic: 'event.deleted', eventId: event.id, recipients: await userAttendeeIds(tx, event.id), channels, data: {},
  }, now);
}
