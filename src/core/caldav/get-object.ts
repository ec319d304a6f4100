import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { findObjectRowsByNames } from '../../store/repositories/caldav-objects.ts';
import { findEventsByIds } from '../../store/repositories/events.ts';
import { viewerPartstatsOf } from '../../store/repositories/attendees.ts';
import type { CalendarObject } from './calendar-object.ts';
import { entriesOf, etagsOf, findEntry, openCollection, type Entry } from './collection.ts';
import { renderObject } from './ical-render.ts';
import { loadSources } from './object-sources.ts';
import { cachedRender, rememberRender, type Rendered } from './render-cache.ts';
import { directoryGeneration } from '../directory/directory-changes.ts';
import type { CalendarDataOptions } from './query-filter.ts';

/**
 * One calendar object of a collection, rendered from the store as the acting user sees it
 * (RFC 4791 §4.1; GET of a resource, and each response of calendar-multiget §7.9).
 * @param name the resource name in the collection (`abc.ics`).
 * @param data expand / limit-recurrence-set (RFC 4791 §9.6.5, §9.6.6); none for a plain GET.
 * @throws KalendsError EVENT_NOT_FOUND (no such resource, or deleted), CALENDAR_NOT_FOUND,
 *   CALENDAR_DELETED, CALENDAR_ACCESS_DENIED (no reader role).
 */
export async function getCalendarObject(db: Db, actor: Actor, ref: CalendarRef, name: string, data: CalendarDataOptions = {}): Promise<CalendarObject> {
  const cal = await openCollection(db, actor, ref);
  const entry = await findEntry(db, actor, cal, name);
  if (!entry) fail('EVENT_NOT_FOUND', `no calendar object ${name} in this calendar`);
  const [object] = await renderEntries(db, [entry], data);
  return object!;
}

/**
 * Several objects of one collection by resource name (calendar-multiget, RFC 4791 §7.9), in the
 * order named; a name with no resource is answered `{ name, missing: true }` (a 404 response).
 * Reads every found object with a fixed number of queries, not one per name.
 * @throws KalendsError CALENDAR_* as getCalendarObject.
 */
export async function getCalendarObjects(
  db: Db, actor: Actor, ref: CalendarRef, names: readonly string[], data: CalendarDataOptions = {},
): Promise<Array<CalendarObject | { name: string; missing: true }>> {
  const cal = await openCollection(db, actor, ref);
  const rows = await findObjectRowsByNames(db, cal.calendar.id, names);
  const byName = new Map(rows.map((r) => [r.name, r]));
  const ids = names.map((n) => byName.get(n)?.event_id ?? (n.endsWith('.ics') ? n.slice(0, -4) : ''));
  const events = await findEventsByIds(db, actor.tenantId, [...new Set(ids.filter(Boolean))]);
  // entriesOf decides what is in the collection and under which name.
  const entries = await entriesOf(db, actor, cal, events.filter((e) => e.calendarId === cal.calendar.id || cal.isOwnPrimary));
  const visible = cal.isOwnPrimary && entries.some((e) => e.master.calendarId !== cal.calendar.id) ? await invitedOnly(db, actor, entries, cal.calendar.id) : entries;
  const found = new Map(visible.map((e) => [e.name, e]));
  const rendered = new Map((await renderEntries(db, [...found.values()], data)).map((o) => [o.name, o]));
  return names.map((name) => rendered.get(name) ?? { name, missing: true as const });
}

/** Entries of a primary collection whose events are on other calendars are kept only when the user is invited. */
async function invitedOnly(db: Db, actor: Actor, entries: Entry[], calendarId: string): Promise<Entry[]> {
  const invited = await viewerPartstatsOf(db, entries.filter((e) => e.master.calendarId !== calendarId).map((e) => e.master.id), actor.userId);
  return entries.filter((e) => e.master.calendarId === calendarId || invited.has(e.master.id));
}

/** Renders entries with their ETags (RFC 4791 §9.6 calendar-data). */
export async function renderEntries(db: Db, entries: readonly Entry[], data: CalendarDataOptions = {}): Promise<CalendarObject[]> {
  const etags = await etagsOf(db, entries);
  const options = JSON.stringify(data);
  const generation = directoryGeneration();
  const keyOf = (entry: Entry) => `${generation}|${entry.master.tenantId}|${entry.master.id}|${entry.row?.calendar_id ?? ''}|${entry.row?.name ?? ''}|${etags.get(entry)!.etag}|${options}`;
  const texts = new Map<Entry, Rendered>();
  for (const entry of entries) {
    const rendered = cachedRender(db, keyOf(entry));
    if (rendered !== undefined) texts.set(entry, rendered);
  }
  const missing = entries.filter((e) => !texts.has(e));
  const sources = await loadSources(db, missing);
  for (const entry of missing) {
    const text = renderObject(sources.get(entry)!, data);
    const rendered = { text, bytes: Buffer.from(text, 'utf8') };
    rememberRender(db, keyOf(entry), rendered);
    texts.set(entry, rendered);
  }
  return entries.map((entry) => {
    const { etag, changeSeq } = etags.get(entry)!;
    const { text, bytes } = texts.get(entry)!;
    return { name: entry.name, etag, changeSeq, eventId: entry.master.id, ics: text, bytes };
  });
}
