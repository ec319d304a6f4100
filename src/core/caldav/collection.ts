import { createHash } from 'node:crypto';
import type { Actor } from '../actor.ts';
import { resolveCalendar, type CalendarAccess, type CalendarRef } from '../acl/access.ts';
import type { CalendarEvent } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { findEvent, findEventsByIds, queryEvents } from '../../store/repositories/events.ts';
import { findUserAttendee, isChatMember } from '../../store/repositories/attendees.ts';
import {
  exceptionSeqsOf, findObjectRow, objectRowsOfCalendar, objectRowsOfEvents, type CaldavObjectRow,
} from '../../store/repositories/caldav-objects.ts';
import type { ETag } from './calendar-object.ts';

/** Most events one collection listing reads (as a window of the APIs). */
const MAX_EVENTS = 50_000;

/** A resource of a collection: its name, its event (series master or single event), its row if a client named it. */
export interface Entry {
  name: string;
  master: CalendarEvent;
  row: CaldavObjectRow | undefined;
}

/** The collection a request names, with the acting user's access (resolveCalendar). */
export function openCollection(db: Db, actor: Actor, ref: CalendarRef): Promise<CalendarAccess> {
  return resolveCalendar(db, actor, ref);
}

/** The default resource name of an event no client named: `<event id>.ics`. */
export function defaultName(eventId: string): string {
  return `${eventId}.ics`;
}

/**
 * The resource a name holds in a collection: a client's row (not a tombstone) whose event is
 * live and in the collection, or `<event id>.ics` of such an event that no row names otherwise.
 */
export async function findEntry(db: Db, actor: Actor, cal: CalendarAccess, name: string, events = eventReader(db, actor.tenantId)): Promise<Entry | undefined> {
  const row = await findObjectRow(db, cal.calendar.id, name);
  if (row) {
    if (row.deleted_at !== null) return undefined;
    const master = await events(row.event_id);
    return master && (await isInCollection(db, actor, cal, master)) ? { name, master, row } : undefined;
  }
  if (!name.endsWith('.ics')) return undefined;
  const master = await events(name.slice(0, -'.ics'.length));
  if (!master || master.seriesMasterId !== null || !(await isInCollection(db, actor, cal, master))) return undefined;
  const named = (await objectRowsOfEvents(db, [master.id])).some((r) => r.calendar_id === cal.calendar.id);
  return named ? undefined : { name, master, row: undefined };
}

/**
 * Reads events by id for one step of a request, each id once: a PUT looks its name's event up,
 * then its UID's, and clients often name a resource `<UID>.ics`.
 */
export function eventReader(db: Db, tenantId: string): (id: string) => Promise<CalendarEvent | undefined> {
  const read = new Map<string, Promise<CalendarEvent | undefined>>();
  return (id) => {
    let found = read.get(id);
    if (!found) read.set(id, (found = findEvent(db, tenantId, id)));
    return found;
  };
}

/** A live event shows in a collection: it is on the calendar, or it invites the owner of this primary calendar. */
export async function isInCollection(db: Db, actor: Actor, cal: CalendarAccess, event: CalendarEvent): Promise<boolean> {
  if (event.deletedAt !== null || event.seriesMasterId !== null) return false;
  if (event.calendarId === cal.calendar.id) return true;
  if (!cal.isOwnPrimary) return false;
  return (await findUserAttendee(db, event.id, actor.userId)) !== undefined || isChatMember(db, event.id, actor.userId);
}

/**
 * Every resource of a collection: its events (masters and single events; a series the user is
 * invited to through one occurrence alone shows by its master) with a fixed number of queries.
 */
export async function allEntries(db: Db, actor: Actor, cal: CalendarAccess): Promise<Entry[]> {
  const events = await queryEvents(db, {
    tenantId: actor.tenantId, calendarId: cal.calendar.id, attendeeUserId: cal.isOwnPrimary ? actor.userId : null,
    from: null, to: null, includeDeleted: false, changedAfter: null, after: null, limit: MAX_EVENTS,
  });
  return entriesOf(db, actor, cal, events);
}

/** The resources of a collection that hold these events (exceptions stand for their masters). */
export async function entriesOf(db: Db, actor: Actor, cal: CalendarAccess, events: readonly CalendarEvent[]): Promise<Entry[]> {
  const masters = new Map<string, CalendarEvent>();
  const missing = new Set<string>();
  for (const e of events) {
    if (e.seriesMasterId === null) masters.set(e.id, e);
    else missing.add(e.seriesMasterId);
  }
  for (const id of masters.keys()) missing.delete(id);
  for (const m of await findEventsByIds(db, actor.tenantId, [...missing])) if (m.deletedAt === null) masters.set(m.id, m);
  // A few events: their rows by event (indexed); many: the collection's rows in one read.
  const rows = masters.size > 200
    ? await objectRowsOfCalendar(db, cal.calendar.id)
    : (await objectRowsOfEvents(db, [...masters.keys()])).filter((r) => r.calendar_id === cal.calendar.id);
  const byEvent = new Map<string, CaldavObjectRow>();
  for (const r of rows) if (!byEvent.has(r.event_id) || r.deleted_at !== null) byEvent.set(r.event_id, r);
  const entries: Entry[] = [];
  for (const master of masters.values()) {
    if (master.deletedAt !== null) continue;
    const row = byEvent.get(master.id);
    if (row?.deleted_at != null) continue;
    entries.push({ name: row?.name ?? defaultName(master.id), master, row });
  }
  return entries;
}

/**
 * The strong ETag of each entry: a digest of what its rendering depends on (the master's and
 * every exception's change-log position and update time, the row's version), so any change
 * through any dialect gives a new one. One query for all exceptions.
 */
export async function etagsOf(db: Db, entries: readonly Entry[]): Promise<Map<Entry, { etag: ETag; changeSeq: number }>> {
  const seqs = await exceptionSeqsOf(db, entries.filter((e) => e.master.recurrence !== null).map((e) => e.master.id));
  const found = new Map<Entry, { etag: ETag; changeSeq: number }>();
  for (const entry of entries) {
    const ex = seqs.get(entry.master.id) ?? [];
    found.set(entry, etagOf(entry, ex));
  }
  return found;
}

export function etagOf(entry: Entry, exceptionSeqs: readonly number[]): { etag: ETag; changeSeq: number } {
  const { master, row } = entry;
  const parts = [master.id, master.changeSeq, master.updatedAt, master.attendeeCount, [...exceptionSeqs].sort((a, b) => a - b).join(','), row?.version ?? '', row?.updated_at ?? ''];
  const digest = createHash('sha1').update(parts.join('|')).digest('base64url').slice(0, 22);
  return { etag: `"${digest}"`, changeSeq: Math.max(master.changeSeq, row?.version ?? 0, ...exceptionSeqs) };
}
