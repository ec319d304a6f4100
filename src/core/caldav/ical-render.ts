import ICAL from 'ical.js';
import type { CalendarEvent, EventTime, PartStat } from '../events/event.ts';
import { expandedOccurrence, occurrencesOverlapping, overlaps } from '../recurrence/occurrences.ts';
import { isNamedZone, timeProperty } from './ical-time.ts';
import { MASTER_KEY, type Kept, type KeptComponent } from './kept-remainder.ts';
import type { CalendarDataOptions } from './query-filter.ts';
import { vtimezoneFor } from './vtimezone.ts';

type Component = InstanceType<typeof ICAL.Component>;

/** An attendee as written: calendar user address and parameters (README, CalDAV mapping). */
export interface RenderAttendee {
  address: string;
  cn: string;
  /** CUTYPE: null for a person (INDIVIDUAL, the default). */
  cutype: 'ROOM' | 'GROUP' | null;
  optional: boolean;
  partstat: PartStat;
}

/** Everything one calendar object is written from. */
export interface RenderSource {
  uid: string;
  master: CalendarEvent;
  /** The series' stored exceptions, cancelled ones too (those become EXDATEs). */
  exceptions: readonly CalendarEvent[];
  /** By event id (the master's and each exception's own). */
  attendees: ReadonlyMap<string, readonly RenderAttendee[]>;
  organizer: { address: string; cn: string };
  kept: Kept | null;
}

const PRODID = '-//Kalends//CalDAV//EN';

/**
 * Writes a calendar object (RFC 5545 VCALENDAR) from the store: the master VEVENT (RRULE, an
 * EXDATE per cancelled occurrence) and a VEVENT per changed occurrence (RECURRENCE-ID), with a
 * VTIMEZONE for every zone used, and what the client sent that Kalends does not model (Kept).
 * With `data.expand` (RFC 4791 §9.6.5): the instances overlapping the range as VEVENTs in UTC,
 * each with its RECURRENCE-ID, no RRULE/EXDATE. With `data.limitRecurrenceSet` (§9.6.6): the
 * master and the overrides that overlap the range.
 * @returns the text with CRLF line ends, lines folded at 75 octets (ical.js).
 */
export function renderObject(src: RenderSource, data: CalendarDataOptions = {}): string {
  const vcalendar = new ICAL.Component('vcalendar');
  vcalendar.addPropertyWithValue('version', '2.0');
  vcalendar.addPropertyWithValue('prodid', PRODID);
  for (const prop of src.kept?.calendar ?? []) vcalendar.addProperty(new ICAL.Property(prop as unknown[]));
  const zones = new Map<string, number>();
  const vevents = data.expand ? expanded(src, data.expand) : recurrenceSet(src, data.limitRecurrenceSet, zones);
  for (const [zone, year] of zones) vcalendar.addSubcomponent(vtimezoneFor(zone, year));
  for (const v of vevents) vcalendar.addSubcomponent(v);
  return vcalendar.toString() + '\r\n';
}

function recurrenceSet(src: RenderSource, limit: { start: number; end: number } | undefined, zones: Map<string, number>): Component[] {
  const { master } = src;
  const masterKept = src.kept?.components[MASTER_KEY];
  const floating = masterKept?.floating ?? false;
  const live = src.exceptions.filter((e) => e.deletedAt === null);
  const cancelled = src.exceptions.filter((e) => e.deletedAt !== null);
  const vevents = [vevent(src, master, masterKept, { floating })];
  if (master.recurrence !== null) {
    vevents[0]!.addPropertyWithValue('rrule', ICAL.Recur.fromString(master.recurrence));
    for (const e of cancelled) vevents[0]!.addProperty(timeProperty('exdate', originalTime(master, e.originalStart!), { floating }));
  }
  for (const e of live) {
    if (limit && !overlaps(e, limit.start, limit.end, false)) continue;
    const v = vevent(src, e, src.kept?.components[String(e.originalStart)], { floating });
    v.addProperty(timeProperty('recurrence-id', originalTime(master, e.originalStart!), { floating }));
    vevents.push(v);
  }
  if (!floating) {
    for (const e of [master, ...live]) {
      for (const t of [e.start, e.end]) {
        if ('instant' in t && isNamedZone(t.timeZone)) {
          const year = new Date(t.instant).getUTCFullYear();
          zones.set(t.timeZone, Math.min(zones.get(t.timeZone) ?? year, year));
        }
      }
    }
  }
  return vevents;
}

/** RFC 4791 §9.6.5: every instance in the range, in UTC, RECURRENCE-ID on those of a series. */
function expanded(src: RenderSource, range: { start: number; end: number }): Component[] {
  const { master } = src;
  if (master.recurrence === null) return [vevent(src, master, src.kept?.components[MASTER_KEY], { utc: true })];
  const stored = new Map(src.exceptions.map((e) => [e.originalStart!, e]));
  const items: CalendarEvent[] = [];
  for (const start of occurrencesOverlapping(master, range.start, range.end, false)) if (!stored.has(start)) items.push(expandedOccurrence(master, start));
  for (const e of src.exceptions) if (e.deletedAt === null && overlaps(e, range.start, range.end, false)) items.push(e);
  items.sort((a, b) => a.originalStart! - b.originalStart!);
  return items.map((item) => {
    const kept = src.kept?.components[item.expanded ? MASTER_KEY : String(item.originalStart)];
    const v = vevent(src, item, kept, { utc: true, attendeesOf: item.expanded ? master.id : item.id });
    v.addProperty(timeProperty('recurrence-id', originalTime(master, item.originalStart!), { utc: true }));
    return v;
  });
}

/** The RECURRENCE-ID / EXDATE value of an occurrence: a DATE for an all-day series, else the instant in the master's zone. */
function originalTime(master: CalendarEvent, originalStart: number): EventTime {
  if ('date' in master.start) return { date: new Date(originalStart).toISOString().slice(0, 10) };
  return { instant: originalStart, timeZone: master.start.timeZone };
}

interface VeventOptions { utc?: boolean; floating?: boolean; attendeesOf?: string }

function vevent(src: RenderSource, e: CalendarEvent, kept: KeptComponent | undefined, opts: VeventOptions): Component {
  const v = new ICAL.Component('vevent');
  v.addPropertyWithValue('uid', src.uid);
  v.addPropertyWithValue('dtstamp', utcTime(e.updatedAt));
  v.addPropertyWithValue('created', utcTime(e.createdAt));
  v.addPropertyWithValue('last-modified', utcTime(e.updatedAt));
  const timeOpts = { utc: opts.utc ?? false, floating: opts.floating ?? false };
  v.addProperty(timeProperty('dtstart', e.start, timeOpts));
  v.addProperty(timeProperty('dtend', allDayEnd(e), timeOpts));
  v.addPropertyWithValue('summary', e.summary);
  if (e.description) v.addPropertyWithValue('description', e.description);
  const location = e.details.location?.name ?? e.details.location?.address;
  if (location) v.addPropertyWithValue('location', location);
  if (e.details.freeBusyStatus === 'free') v.addPropertyWithValue('transp', 'TRANSPARENT');
  if (e.details.visibility === 'public' || e.details.visibility === 'private') v.addPropertyWithValue('class', e.details.visibility.toUpperCase());
  const status = e.status === 'cancelled' ? 'CANCELLED' : e.status === 'tentative' ? 'TENTATIVE' : null;
  if (status) v.addPropertyWithValue('status', status);
  for (const prop of kept?.props ?? []) {
    if (status && (prop as unknown[])[0] === 'status') continue;
    v.addProperty(new ICAL.Property(prop as unknown[]));
  }
  const organizer = new ICAL.Property('organizer');
  if (src.organizer.cn) organizer.setParameter('cn', src.organizer.cn);
  organizer.setValue(src.organizer.address);
  v.addProperty(organizer);
  for (const a of src.attendees.get(opts.attendeesOf ?? e.id) ?? []) v.addProperty(attendee(a));
  for (const alarm of alarmsOf(e, kept)) v.addSubcomponent(alarm);
  for (const other of kept?.others ?? []) v.addSubcomponent(new ICAL.Component(other as unknown[]));
  return v;
}

/** Kalends' one-day all-day event may end on its start date (Feishu); iCalendar's DTEND is exclusive. */
function allDayEnd(e: CalendarEvent): EventTime {
  if ('date' in e.start && 'date' in e.end && e.end.date <= e.start.date) {
    return { date: new Date(Date.parse(`${e.start.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) };
  }
  return e.end;
}

/** An ATTENDEE from its jCal form (RFC 7265), built directly: thousands per event are the common large case. */
function attendee(a: RenderAttendee): InstanceType<typeof ICAL.Property> {
  const params: Record<string, string> = {};
  if (a.cn) params.cn = a.cn;
  if (a.cutype) params.cutype = a.cutype;
  // REQ-PARTICIPANT is ROLE's default (RFC 5545 §3.2.16): left out, a fifth less to send for a large event.
  if (a.optional) params.role = 'OPT-PARTICIPANT';
  params.partstat = a.partstat;
  return new ICAL.Property(['attendee', params, 'cal-address', a.address]);
}

/** The VALARMs as the client sent them while the reminders are still theirs, else one DISPLAY alarm per reminder. */
function alarmsOf(e: CalendarEvent, kept: KeptComponent | undefined): Component[] {
  const minutes = [...new Set((e.details.reminders ?? []).map((r) => r.minutes))].sort((a, b) => a - b);
  if (kept && kept.alarms.length > 0 && sameNumbers(kept.alarmMinutes, minutes)) return kept.alarms.map((a) => new ICAL.Component(a as unknown[]));
  return minutes.map((m) => {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', e.summary || 'Reminder');
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-m * 60));
    return alarm;
  });
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function utcTime(ms: number): InstanceType<typeof ICAL.Time> {
  return ICAL.Time.fromJSDate(new Date(Math.floor(ms / 1000) * 1000), true);
}
