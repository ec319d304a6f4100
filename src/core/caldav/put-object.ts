import type { Actor } from '../actor.ts';
import { canWriteCalendar, type CalendarAccess, type CalendarRef } from '../acl/access.ts';
import { fail, KalendsError } from '../errors.ts';
import { createEvent } from '../events/create-event.ts';
import { deleteEvent, patchEvent } from '../events/change-event.ts';
import type { CalendarEvent, EventKey } from '../events/event.ts';
import { addAttendees } from '../attendees/add-attendees.ts';
import { removeAttendees, type RemovalSpec } from '../attendees/remove-attendees.ts';
import { respondToEvent } from '../attendees/respond.ts';
import { MAX_ATTENDEES_PER_CALL } from '../attendees/limits.ts';
import { isOccurrence } from '../recurrence/expand.ts';
import { expandedOccurrence } from '../recurrence/occurrences.ts';
import type { NotifyChannel } from '../outbox/notify.ts';
import type { Db } from '../../store/store.ts';
import { findEvent, touchEvent } from '../../store/repositories/events.ts';
import { exceptionsOf, findException } from '../../store/repositories/series.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import { chatMemberPartstat, findUserAttendee, userAttendeeIds, type AttendeeRow } from '../../store/repositories/attendees.ts';
import { recordChange } from '../outbox/notify.ts';
import { findUserById } from '../../store/repositories/directory.ts';
import {
  findObjectRowsByUidInTenant, lockObjectKey, objectRowsOfEvents, removeCancelledException, saveObjectRow, setAttendeesOptional, type CaldavObjectRow,
} from '../../store/repositories/caldav-objects.ts';
import type { PutResult, WritePreconditions } from './calendar-object.ts';
import { defaultName, etagOf, eventReader, findEntry, isInCollection, openCollection, type Entry } from './collection.ts';
import { diffInput } from './object-diff.ts';
import { storedAttendees, wantedAttendees, type WantedAttendee } from './ical-attendees.ts';
import { parseCalendarObject, type ParsedComponent, type ParsedObject } from './ical-parse.ts';
import { userAddress } from './addresses.ts';

/**
 * Stores a calendar object a client PUTs under `name` in a collection (RFC 4791 §5.3.2): creates
 * the event (series master, overrides, EXDATEs as cancelled occurrences) or changes the one the
 * name holds, through the same core operations as the APIs (createEvent, patchEvent,
 * deleteEvent of an occurrence, add/removeAttendees, respondToEvent), so the change log, the
 * outbox notices and the HTTP callbacks fire as for an API call. ATTENDEEs of an organizer's PUT
 * are invited (RFC 6638 §3.2.1: the invitation appears on their calendars); on an invitation (an
 * event of another organizer shown on the user's primary calendar) only the user's own PARTSTAT
 * counts: a change of it is an RSVP (RFC 6638 §3.2.2). What Kalends does not model (X-
 * properties, VALARM details, ATTACH, CATEGORIES…) is kept per collection and resource and given
 * back on GET. Runs in the caller's transaction; a refusal changes nothing.
 * An override a client drops goes back to its occurrence as the rule makes it (the exception
 * stays, equal to the occurrence); an EXDATE a client drops gives the occurrence back; a ROLE
 * changed on an attendee already invited changes whether they are optional.
 * @param ics the request body (text/calendar).
 * @param now ms since the epoch.
 * @throws KalendsError CALENDAR_DATA_INVALID (detail.precondition), UID_CONFLICT (detail.name),
 *   ETAG_MISMATCH, EVENT_PERMISSION_DENIED, CALENDAR_*, and those of createEvent/patchEvent
 *   (INVALID_PARAMETER, ATTENDEE_LIMIT_EXCEEDED, MEETING_ROOM_UNAVAILABLE).
 */
export async function putCalendarObject(
  tx: Db, actor: Actor, ref: CalendarRef, name: string, ics: string, pre: WritePreconditions, now: number,
): Promise<PutResult> {
  const cal = await openCollection(tx, actor, ref);
  const parsed = parseCalendarObject(ics, cal.calendar.time_zone);
  await lockObjectKey(tx, cal.calendar.id, `name:${name}`);
  await lockObjectKey(tx, cal.calendar.id, `uid:${parsed.uid}`);
  const events = eventReader(tx, actor.tenantId);
  const entry = await findEntry(tx, actor, cal, name, events);
  if (entry && pre.ifNoneMatch) fail('ETAG_MISMATCH', `${name} exists (If-None-Match: *)`);
  if (pre.ifMatch) {
    if (!entry) fail('ETAG_MISMATCH', `${name} does not exist (If-Match)`);
    if (pre.ifMatch !== '*' && (await currentEtag(tx, entry)) !== pre.ifMatch) fail('ETAG_MISMATCH', `${name} has changed (If-Match ${pre.ifMatch})`);
  }
  await checkUid(tx, actor, cal, parsed.uid, name, entry, events);
  const channels: NotifyChannel[] = [actor.platform === 'feishu' ? 'bot' : 'push'];
  let eventId: string;
  let created: CalendarEvent | null = null;
  if (!entry) {
    ({ id: eventId, unchanged: created } = await createFromObject(tx, actor, { id: cal.calendar.id }, parsed, channels, now));
  } else if (entry.master.calendarId === cal.calendar.id || entry.master.organizerId === actor.userId) {
    // Checked here too: a PUT that changes nothing Kalends models runs no core operation that would.
    if (entry.master.organizerId !== actor.userId && !canWriteCalendar(cal)) fail('EVENT_PERMISSION_DENIED', 'only the organizer or a writer of the calendar may change the event');
    eventId = entry.master.id;
    await updateFromObject(tx, actor, { id: entry.master.calendarId }, entry.master, parsed, channels, now);
  } else {
    eventId = entry.master.id;
    await replyFromObject(tx, actor, ref, entry.master, parsed, now);
  }
  const row: CaldavObjectRow = {
    calendar_id: cal.calendar.id, name, tenant_id: actor.tenantId, event_id: eventId, uid: parsed.uid,
    // A new object's row takes its event's position: the same transaction's.
    kept: JSON.stringify(parsed.kept), version: created?.changeSeq ?? await nextChangeSeq(tx, actor.tenantId),
    created_at: entry?.row?.created_at ?? now, updated_at: now, deleted_at: null,
  };
  await saveObjectRow(tx, row);
  const master = created ?? await findEvent(tx, actor.tenantId, eventId);
  const etag = master && master.deletedAt === null ? await currentEtag(tx, { name, master, row }) : '""';
  return { etag, created: !entry };
}

async function currentEtag(tx: Db, entry: Entry): Promise<string> {
  const seqs = entry.master.recurrence === null ? [] : (await exceptionsOf(tx, entry.master.id)).map((e) => e.changeSeq);
  return etagOf(entry, seqs).etag;
}

/**
 * RFC 4791 §5.3.2.1 no-uid-conflict: no other resource of the collection has the UID, and a
 * resource keeps its UID. The UIDs are those clients gave (caldav_objects) and, for events no
 * client named, the event id.
 */
async function checkUid(
  tx: Db, actor: Actor, cal: CalendarAccess, uid: string, name: string, entry: Entry | undefined, events: (id: string) => Promise<CalendarEvent | undefined>,
): Promise<void> {
  if (entry) {
    const current = entry.row?.uid ?? (await objectRowsOfEvents(tx, [entry.master.id]))[0]?.uid ?? entry.master.id;
    if (current !== uid) throw new KalendsError('UID_CONFLICT', `${name} has UID ${current}; a resource's UID cannot change`, { name });
  }
  const withUid = await findObjectRowsByUidInTenant(tx, actor.tenantId, uid);
  for (const row of withUid) {
    if (row.calendar_id !== cal.calendar.id || row.deleted_at !== null || row.name === name) continue;
    if (await findEntry(tx, actor, cal, row.name, events)) throw new KalendsError('UID_CONFLICT', `${row.name} already has UID ${uid}`, { name: row.name });
  }
  const candidates = new Set(withUid.map((r) => r.event_id));
  candidates.add(uid);
  candidates.delete(entry?.master.id ?? '');
  for (const id of candidates) {
    const event = await events(id);
    if (!event || !(await isInCollection(tx, actor, cal, event))) continue;
    const other = await findEntry(tx, actor, cal, defaultName(id), events);
    const otherName = other?.name ?? (await objectRowsOfEvents(tx, [id])).find((r) => r.calendar_id === cal.calendar.id && r.deleted_at === null)?.name;
    if (otherName && otherName !== name) throw new KalendsError('UID_CONFLICT', `${otherName} already has UID ${uid}`, { name: otherName });
  }
}

/**
 * Creates the event of a new object. @returns its id, and the event as created when nothing
 * after createEvent changed its row (no attendees, no occurrences, not cancelled), else null.
 */
async function createFromObject(
  tx: Db, actor: Actor, ref: CalendarRef, parsed: ParsedObject, channels: NotifyChannel[], now: number,
): Promise<{ id: string; unchanged: CalendarEvent | null }> {
  const wanted = await wantedAttendees(tx, actor.tenantId, parsed.master.attendees);
  const specs = wanted.map((w) => w.spec);
  const view = await createEvent(tx, actor, ref, parsed.master.input, specs.slice(0, MAX_ATTENDEES_PER_CALL), channels, now);
  const key = { id: view.event.id, originalStart: null };
  for (let i = MAX_ATTENDEES_PER_CALL; i < specs.length; i += MAX_ATTENDEES_PER_CALL) {
    await addAttendees(tx, actor, ref, key, specs.slice(i, i + MAX_ATTENDEES_PER_CALL), channels, now, null, false);
  }
  if (view.event.recurrence !== null) await applyOccurrences(tx, actor, ref, view.event.id, parsed, channels, now);
  if (parsed.master.cancelled) await deleteEvent(tx, actor, ref, key, channels, now);
  const unchanged = specs.length === 0 && view.event.recurrence === null && !parsed.master.cancelled;
  return { id: view.event.id, unchanged: unchanged ? view.event : null };
}

async function updateFromObject(tx: Db, actor: Actor, ref: CalendarRef, master: CalendarEvent, parsed: ParsedObject, channels: NotifyChannel[], now: number): Promise<void> {
  const key = { id: master.id, originalStart: null };
  if (parsed.master.cancelled) {
    await deleteEvent(tx, actor, ref, key, channels, now);
    return;
  }
  const patch = diffInput(master, parsed.master.input, true);
  if (Object.keys(patch).length > 0) await patchEvent(tx, actor, ref, key, patch, undefined, channels, now);
  await syncAttendees(tx, actor, ref, key, master.id, master.organizerId, await wantedAttendees(tx, actor.tenantId, parsed.master.attendees), channels, now);
  await applyOccurrences(tx, actor, ref, master.id, parsed, channels, now);
}

/** Invites those named and not yet attendees and removes those no longer named (never the organizer), 500 a call. */
async function syncAttendees(
  tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, eventId: string, organizerId: string,
  wanted: readonly WantedAttendee[], channels: NotifyChannel[], now: number,
): Promise<void> {
  const stored = await storedAttendees(tx, eventId);
  const keys = new Set(wanted.map((w) => w.key));
  const removals: RemovalSpec[] = [];
  for (const [k, row] of stored) {
    if (keys.has(k) || (row.kind === 'user' && row.ref === organizerId)) continue;
    const id = k.slice(k.indexOf(':') + 1);
    removals.push(row.kind === 'user' ? { kind: 'user', idType: 'union_id', id } : row.kind === 'resource' ? { kind: 'resource', roomId: id }
      : row.kind === 'chat' ? { kind: 'chat', chatId: id } : { kind: 'third_party', email: id });
  }
  for (let i = 0; i < removals.length; i += MAX_ATTENDEES_PER_CALL) {
    await removeAttendees(tx, actor, ref, key, removals.slice(i, i + MAX_ATTENDEES_PER_CALL), channels, now);
  }
  const adds = wanted.filter((w) => !stored.has(w.key)).map((w) => w.spec);
  for (let i = 0; i < adds.length; i += MAX_ATTENDEES_PER_CALL) {
    await addAttendees(tx, actor, ref, key, adds.slice(i, i + MAX_ATTENDEES_PER_CALL), channels, now, null, false);
  }
  await syncRoles(tx, actor, eventId, organizerId, stored, wanted, channels, now);
}

/**
 * ROLE=OPT-PARTICIPANT added or dropped on an attendee already invited changes whether they
 * are optional (`isOptional` / `is_optional` in both APIs, which have no call for it); the
 * event moves in the change log and `event.updated` is recorded for its attendees.
 */
async function syncRoles(
  tx: Db, actor: Actor, eventId: string, organizerId: string, stored: ReadonlyMap<string, AttendeeRow>,
  wanted: readonly WantedAttendee[], channels: NotifyChannel[], now: number,
): Promise<void> {
  const changed = { optional: [] as number[], required: [] as number[] };
  for (const w of wanted) {
    const row = stored.get(w.key);
    if (!row || (row.kind === 'user' && row.ref === organizerId) || (row.is_optional === 1) === w.spec.isOptional) continue;
    (w.spec.isOptional ? changed.optional : changed.required).push(row.seq);
  }
  if (changed.optional.length + changed.required.length === 0) return;
  await setAttendeesOptional(tx, changed.optional, true, now);
  await setAttendeesOptional(tx, changed.required, false, now);
  await touchEvent(tx, eventId, await nextChangeSeq(tx, actor.tenantId), now);
  await recordChange(tx, actor, { topic: 'event.updated', eventId, recipients: await userAttendeeIds(tx, eventId), channels, data: {} }, now);
}

/**
 * EXDATEs and cancelled overrides cancel their occurrences (deleteEvent of the occurrence);
 * each other override changes its occurrence (patchEvent of the occurrence, which stores it as
 * an exception) and its attendees. An EXDATE or RECURRENCE-ID the rule does not produce is
 * ignored (RFC 5545 §3.8.5.1 allows it).
 */
async function applyOccurrences(tx: Db, actor: Actor, ref: CalendarRef, masterId: string, parsed: ParsedObject, channels: NotifyChannel[], now: number): Promise<void> {
  const master = await findEvent(tx, actor.tenantId, masterId);
  if (!master || master.recurrence === null || master.deletedAt !== null) return;
  const existing = new Map((await exceptionsOf(tx, masterId)).map((e) => [e.originalStart!, e]));
  const series = { start: master.start, end: master.end, rule: master.recurrence };
  const cancelled = new Set([...parsed.master.exdates, ...parsed.overrides.filter((o) => o.cancelled).map((o) => o.recurrenceId!)]);
  for (const start of cancelled) {
    const ex = existing.get(start);
    if (ex?.deletedAt != null || (!ex && !isOccurrence(series, start))) continue;
    await deleteEvent(tx, actor, ref, { id: masterId, originalStart: start }, channels, now);
  }
  for (const o of parsed.overrides) {
    if (o.cancelled) continue;
    await applyOverride(tx, actor, ref, master, existing.get(o.recurrenceId!), o, channels, now);
  }
  // An occurrence cancelled before whose EXDATE the client dropped is the rule's again (RFC 5545
  // §3.8.5.1: the recurrence set is what the object says).
  let restored = false;
  for (const [start, ex] of existing) {
    if (ex.deletedAt === null || cancelled.has(start) || !isOccurrence(series, start)) continue;
    restored = (await removeCancelledException(tx, masterId, start)) || restored;
  }
  if (restored) {
    const seq = await nextChangeSeq(tx, actor.tenantId);
    await touchEvent(tx, masterId, seq, now);
    await recordChange(tx, actor, { topic: 'event.updated', eventId: masterId, recipients: await userAttendeeIds(tx, masterId), channels, data: {} }, now);
  }
  // An exception the object no longer overrides goes back to the occurrence the rule makes:
  // the master's attributes at its own times, the master's attendees.
  const named = new Set(parsed.overrides.map((o) => o.recurrenceId!));
  for (const [start, ex] of existing) {
    if (ex.deletedAt !== null || named.has(start) || cancelled.has(start)) continue;
    const occurrence = expandedOccurrence(master, start);
    const patch = diffInput(ex, { ...occurrence, recurrence: null }, false);
    const key = { id: masterId, originalStart: start };
    if (Object.keys(patch).length > 0) await patchEvent(tx, actor, ref, key, patch, undefined, channels, now);
    await syncAttendees(tx, actor, ref, key, ex.id, master.organizerId, await wantedAttendees(tx, actor.tenantId, parsed.master.attendees), channels, now);
  }
}

async function applyOverride(
  tx: Db, actor: Actor, ref: CalendarRef, master: CalendarEvent, stored: CalendarEvent | undefined, o: ParsedComponent, channels: NotifyChannel[], now: number,
): Promise<void> {
  const start = o.recurrenceId!;
  if (stored?.deletedAt != null) return;
  if (!stored && !isOccurrence({ start: master.start, end: master.end, rule: master.recurrence! }, start)) return;
  const base = stored ?? expandedOccurrence(master, start);
  const key = { id: master.id, originalStart: start };
  const patch = diffInput(base, o.input, false);
  if (!stored || Object.keys(patch).length > 0) await patchEvent(tx, actor, ref, key, patch, undefined, channels, now);
  const exception = await findException(tx, master.id, start);
  if (exception) await syncAttendees(tx, actor, ref, key, exception.id, master.organizerId, await wantedAttendees(tx, actor.tenantId, o.attendees), channels, now);
}

/**
 * An invitee's PUT (RFC 6638 §3.2.2): only their own PARTSTAT counts, on the series and on
 * each override; a changed one is an answer (respondToEvent), as through the APIs.
 */
async function replyFromObject(tx: Db, actor: Actor, ref: CalendarRef, master: CalendarEvent, parsed: ParsedObject, now: number): Promise<void> {
  const user = await findUserById(tx, actor.userId);
  const mine = new Set([userAddress(user ? { email: user.email, union_id: user.union_id } : undefined), `urn:x-kalends:user:${user?.union_id ?? ''}`]);
  const own = (c: ParsedComponent) => c.attendees.find((a) => mine.has(a.address))?.partstat;
  const answer = own(parsed.master);
  const current = (await findUserAttendee(tx, master.id, actor.userId))?.partstat ?? (await chatMemberPartstat(tx, master.id, actor.userId));
  if (answer && answer !== 'NEEDS-ACTION' && answer !== current) await respondToEvent(tx, actor, ref, { id: master.id, originalStart: null }, answer, now);
  for (const o of parsed.overrides) {
    const answerHere = own(o);
    if (!answerHere || answerHere === 'NEEDS-ACTION' || o.cancelled) continue;
    const exception = await findException(tx, master.id, o.recurrenceId!);
    if (exception?.deletedAt != null) continue;
    const here = exception ? (await findUserAttendee(tx, exception.id, actor.userId))?.partstat : answer ?? current;
    if (answerHere === here) continue;
    if (!exception && master.recurrence !== null && !isOccurrence({ start: master.start, end: master.end, rule: master.recurrence }, o.recurrenceId!)) continue;
    await respondToEvent(tx, actor, ref, { id: master.id, originalStart: o.recurrenceId! }, answerHere, now);
  }
}
