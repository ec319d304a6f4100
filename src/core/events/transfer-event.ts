import type { Actor } from '../actor.ts';
import { resolveEvent, type CalendarRef } from '../acl/access.ts';
import { addToEvent } from '../attendees/add-attendees.ts';
import { fail } from '../errors.ts';
import { recordChange, type NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { deleteAttendees, findUserAttendee, setPartstat, userAttendeeIds } from '../../store/repositories/attendees.ts';
import { findPrimaryCalendar } from '../../store/repositories/calendars.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import { findUserByUnionId, type UserRow } from '../../store/repositories/directory.ts';
import { bumpAttendeeCount, saveEvent } from '../../store/repositories/events.ts';
import { exceptionsOf } from '../../store/repositories/series.ts';
import type { CalendarEvent, EventKey } from './event.ts';

/** What a transfer asks for (DingTalk transferEvent). */
export interface Transfer {
  /** The new organizer's unionId. */
  newOrganizer: string;
  /** The old organizer leaves the event (`isExitCalendar`) instead of staying an attendee. */
  exit: boolean;
  /** How attendees hear of it (`needNotifyViaO2O`: a one-to-one message). */
  channels: readonly NotifyChannel[];
}

/**
 * Hands an event (a single event, or a whole series with its exceptions) to another user of the
 * tenant: they become its organizer (always accepted) and, when it was on the old organizer's
 * primary calendar, it moves to theirs. The old organizer stays an attendee (accepted) unless
 * `exit`. Attendees hear of it as a change of the event (`event.updated`, which also drives the
 * platforms' event callbacks). Source: DingTalk TransferEvent (转让日程); only the organizer may.
 * @throws KalendsError EVENT_PERMISSION_DENIED (not the organizer), INVALID_PARAMETER (one
 *   occurrence named, an unknown or departed user, the organizer themselves), those of resolveEvent.
 */
export async function transferEvent(tx: Db, actor: Actor & { user: UserRow }, ref: CalendarRef, key: EventKey, transfer: Transfer, now: number): Promise<void> {
  if (key.originalStart !== null) fail('INVALID_PARAMETER', 'an instance of a recurring event cannot be transferred: transfer its series');
  const { event } = await resolveEvent(tx, actor, ref, key, false, true, now);
  if (event.organizerId !== actor.userId) fail('EVENT_PERMISSION_DENIED', 'only the organizer may transfer the event');
  if (event.seriesMasterId !== null) fail('INVALID_PARAMETER', 'an instance of a recurring event cannot be transferred: transfer its series');
  const heir = await findUserByUnionId(tx, actor.tenantId, transfer.newOrganizer);
  if (!heir || heir.active !== 1 || heir.bot_app_id !== null) fail('INVALID_PARAMETER', `newOrganizerId ${transfer.newOrganizer} is not a user of the organization`);
  if (heir.id === event.organizerId) fail('INVALID_PARAMETER', 'newOrganizerId is already the organizer');
  const ownPrimary = await findPrimaryCalendar(tx, event.organizerId);
  const heirPrimary = await findPrimaryCalendar(tx, heir.id);
  const calendarId = ownPrimary?.id === event.calendarId && heirPrimary ? heirPrimary.id : event.calendarId;
  const before = await userAttendeeIds(tx, event.id);
  const changeSeq = await nextChangeSeq(tx, actor.tenantId);
  for (const row of [event, ...(await exceptionsOf(tx, event.id))]) {
    await handOver(tx, actor, row, heir.id, transfer.exit, now);
    await saveEvent(tx, { ...row, organizerId: heir.id, calendarId, changeSeq, updatedAt: now });
  }
  const recipients = [...new Set([...before, ...(await userAttendeeIds(tx, event.id)), heir.id])];
  await recordChange(tx, actor, {
    topic: 'event.updated', eventId: event.id, recipients, channels: transfer.channels,
    data: { transfer: { from: actor.userId, to: heir.id, exit: transfer.exit } },
  }, now);
}

/**
 * The attendee rows of one event (master or exception) for a new organizer: the heir accepted
 * (their row, if any, stays), the old organizer an accepted attendee or gone. Updates
 * `row.attendeeCount` in place.
 */
async function handOver(tx: Db, actor: Actor & { user: UserRow }, row: CalendarEvent, heirId: string, exit: boolean, now: number): Promise<void> {
  const heirRow = await findUserAttendee(tx, row.id, heirId);
  if (heirRow && heirRow.partstat !== 'ACCEPTED') await setPartstat(tx, heirRow.seq, 'ACCEPTED', now);
  if (exit) {
    const gone = await deleteAttendees(tx, row.id, 'user', [row.organizerId]);
    if (gone > 0) {
      await bumpAttendeeCount(tx, row.id, -gone, row.changeSeq, now);
      row.attendeeCount -= gone;
    }
  } else if (!(await findUserAttendee(tx, row.id, row.organizerId))) {
    // Added while it is still theirs: initialPartstat makes the organizer ACCEPTED.
    await addToEvent(tx, actor, row, [{ kind: 'user', idType: 'union_id', id: actor.user.union_id, isOptional: false }], [], now, false, false);
  }
}
