import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { Actor } from '../actor.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { findEventsByIds } from '../../store/repositories/events.ts';
import { findAttendeeUsers } from '../attendees/attendee-users.ts';
import {
  answersToOrganizer, findObjectRowsByNames, saveObjectRow, unansweredInvitations, type InboxRow,
} from '../../store/repositories/caldav-objects.ts';
import type { CalendarObject, ObjectSummary } from './calendar-object.ts';
import { userAddress } from './addresses.ts';
import { renderEntries } from './get-object.ts';

/** Most items of each kind the inbox lists. */
const MAX_ITEMS = 200;

type Item = { kind: 'request' | 'reply'; name: string; row: InboxRow };

/**
 * The iTIP messages in a user's schedule inbox (RFC 6638 §2.2, §4; RFC 5546): a METHOD:REQUEST
 * for each invitation (series or single event, not over) they have not answered, named
 * `request-<event>-<change>.ics` so a changed invitation is a new message; a METHOD:REPLY for
 * each answer of an attendee to an event they organize, `reply-<event>-<attendee>-<answered at>.ics`.
 * Newest first, at most 200 of each; messages the user deleted (dismissed) are left out. The
 * invitations themselves are already on the user's calendar (server-side scheduling): the inbox
 * tells a client what arrived.
 */
export async function listInbox(db: Db, actor: Actor): Promise<ObjectSummary[]> {
  return (await inboxItems(db, actor, Date.now())).map((i) => ({ name: i.name, etag: etagOf(i.name), eventId: i.row.eventId, changeSeq: i.row.changeSeq }));
}

/**
 * One message of the schedule inbox as iCalendar with its METHOD.
 * @throws KalendsError EVENT_NOT_FOUND for a name the inbox does not hold (or dismissed).
 */
export async function getInboxItem(db: Db, actor: Actor, name: string): Promise<CalendarObject> {
  const item = (await inboxItems(db, actor, Date.now())).find((i) => i.name === name);
  if (!item) fail('EVENT_NOT_FOUND', `no message ${name} in the schedule inbox`);
  const [event] = await findEventsByIds(db, actor.tenantId, [item.row.eventId]);
  if (!event) fail('EVENT_NOT_FOUND', `no message ${name} in the schedule inbox`);
  const [object] = await renderEntries(db, [{ name, master: event, row: undefined }]);
  const vcalendar = ICAL.Component.fromString(object!.ics);
  vcalendar.addPropertyWithValue('method', item.kind === 'request' ? 'REQUEST' : 'REPLY');
  if (item.kind === 'reply') await toReply(db, vcalendar, item.row);
  const ics = vcalendar.toString() + '\r\n';
  return { name, etag: etagOf(name), eventId: event.id, changeSeq: item.row.changeSeq, ics, bytes: Buffer.from(ics, 'utf8') };
}

/**
 * Dismisses a message of the schedule inbox (a client DELETEs what it processed); it is not
 * listed again. The invitation or answer itself is unchanged.
 * @throws KalendsError EVENT_NOT_FOUND for a name the inbox does not hold.
 */
export async function deleteInboxItem(tx: Db, actor: Actor, name: string, now: number): Promise<void> {
  const item = (await inboxItems(tx, actor, now)).find((i) => i.name === name);
  if (!item) fail('EVENT_NOT_FOUND', `no message ${name} in the schedule inbox`);
  await saveObjectRow(tx, {
    calendar_id: inboxId(actor.userId), name, tenant_id: actor.tenantId, event_id: item.row.eventId, uid: '', kept: '{}',
    version: item.row.changeSeq, created_at: now, updated_at: now, deleted_at: now,
  });
}

/** The key under which dismissed messages are kept (caldav_objects.calendar_id): no calendar has it. */
function inboxId(userId: string): string {
  return `inbox:${userId}`;
}

async function inboxItems(db: Db, actor: Actor, now: number): Promise<Item[]> {
  const requests = (await unansweredInvitations(db, actor.userId, now, MAX_ITEMS))
    .map((row): Item => ({ kind: 'request', name: `request-${row.eventId}-${row.changeSeq}.ics`, row }));
  const replies = (await answersToOrganizer(db, actor.userId, MAX_ITEMS))
    .map((row): Item => ({ kind: 'reply', name: `reply-${row.eventId}-${row.attendeeSeq}-${row.answeredAt}.ics`, row }));
  const items = [...requests, ...replies];
  const dismissed = new Set((await findObjectRowsByNames(db, inboxId(actor.userId), items.map((i) => i.name))).map((r) => r.name));
  return items.filter((i) => !dismissed.has(i.name));
}

/**
 * An iTIP REPLY (RFC 5546 §3.2.3): the event's VEVENTs with the ORGANIZER and only the answering
 * attendee, with their PARTSTAT; no alarms.
 */
async function toReply(db: Db, vcalendar: InstanceType<typeof ICAL.Component>, row: InboxRow): Promise<void> {
  const users = await findAttendeeUsers(db, [row.attendeeRef]);
  const address = userAddress(users.get(row.attendeeRef));
  for (const vevent of vcalendar.getAllSubcomponents('vevent')) {
    for (const attendee of vevent.getAllProperties('attendee')) if (attendee.getFirstValue() !== address) vevent.removeProperty(attendee);
    vevent.removeAllSubcomponents('valarm');
    vevent.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(new Date(Math.floor(row.answeredAt / 1000) * 1000), true));
  }
}

function etagOf(name: string): string {
  return `"${createHash('sha1').update(name).digest('base64url').slice(0, 22)}"`;
}
