import ICAL from 'ical.js';
import { KalendsError } from '../errors.ts';
import type { EventDetails, EventInput, PartStat } from '../events/event.ts';
import { validateEventInput } from '../events/validate-event.ts';
import type { CalendarDataPrecondition } from './calendar-object.ts';
import { readDateTime, readTime } from './ical-time.ts';
import { CALENDAR_PROPERTIES, MASTER_KEY, MODELLED_PROPERTIES, type Kept, type KeptComponent } from './kept-remainder.ts';

type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;

/** An ATTENDEE as a client wrote it. */
export interface ParsedAttendee {
  /** The calendar user address (`mailto:` and the e-mail lower-cased; `urn:x-kalends:room:…` as written). */
  address: string;
  cn: string | null;
  /** OPT-PARTICIPANT or NON-PARTICIPANT: an optional attendee. */
  optional: boolean;
  /** CUTYPE, upper-cased (INDIVIDUAL when absent). */
  cutype: string;
  partstat: PartStat;
}

/** One VEVENT of a client's object: the master (recurrenceId null) or an override. */
export interface ParsedComponent {
  /** RECURRENCE-ID as the original start (ms; a DATE at 00:00 UTC), null for the master. */
  recurrenceId: number | null;
  input: EventInput;
  /** STATUS:CANCELLED. */
  cancelled: boolean;
  organizer: string | null;
  attendees: ParsedAttendee[];
  /** EXDATEs of the master, as original starts (ms). */
  exdates: number[];
  kept: KeptComponent;
}

export interface ParsedObject {
  uid: string;
  master: ParsedComponent;
  overrides: ParsedComponent[];
  kept: Kept;
}

const PARTSTATS = new Set<PartStat>(['NEEDS-ACTION', 'ACCEPTED', 'DECLINED', 'TENTATIVE']);

function refuse(precondition: CalendarDataPrecondition, message: string): never {
  throw new KalendsError('CALENDAR_DATA_INVALID', message, { precondition });
}

/**
 * Reads and checks a calendar object resource a client PUTs (RFC 4791 §4.1, §5.3.2.1): one
 * VCALENDAR, no METHOD, VEVENTs only, all of one UID, a master with DTSTART (overrides carry
 * RECURRENCE-ID, at most one per occurrence, only on a recurring master), times Kalends can
 * place (a TZID is an IANA zone or has its VTIMEZONE in the object).
 * @param floatingZone the zone a floating time is read in (the calendar's).
 * @throws KalendsError CALENDAR_DATA_INVALID with detail.precondition `valid-calendar-data`,
 *   `valid-calendar-object-resource` or `supported-calendar-component`.
 */
export function parseCalendarObject(text: string, floatingZone: string): ParsedObject {
  let vcalendar: Component;
  try {
    vcalendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (e) {
    refuse('valid-calendar-data', `the body is not iCalendar: ${(e as Error).message}`);
  }
  if (vcalendar.name !== 'vcalendar') refuse('valid-calendar-data', 'the body is not one VCALENDAR');
  if (vcalendar.hasProperty('method')) refuse('valid-calendar-object-resource', 'a calendar object resource must not have METHOD (RFC 4791 §4.1)');
  const vevents = vcalendar.getAllSubcomponents('vevent');
  const others = vcalendar.getAllSubcomponents().filter((c) => c.name !== 'vevent' && c.name !== 'vtimezone');
  if (vevents.length === 0 || others.length > 0) refuse('supported-calendar-component', 'a calendar object of this calendar holds VEVENTs only');
  const uids = new Set(vevents.map((v) => v.getFirstPropertyValue('uid')));
  if (uids.size !== 1) refuse('valid-calendar-object-resource', 'every VEVENT of one resource must have the same UID');
  const uid = String([...uids][0] ?? '');
  if (!uid) refuse('valid-calendar-object-resource', 'the VEVENT has no UID');
  const components = vevents.map((v) => readComponent(v, vcalendar, floatingZone));
  const masters = components.filter((c) => c.recurrenceId === null);
  if (masters.length !== 1) refuse('valid-calendar-object-resource', masters.length === 0 ? 'the object has overrides but no master VEVENT' : 'the object has more than one VEVENT without RECURRENCE-ID');
  const master = masters[0]!;
  const overrides = components.filter((c) => c.recurrenceId !== null);
  if (overrides.length > 0 && master.input.recurrence === null) refuse('valid-calendar-object-resource', 'an override (RECURRENCE-ID) needs a recurring master (RRULE)');
  if (new Set(overrides.map((o) => o.recurrenceId)).size !== overrides.length) refuse('valid-calendar-object-resource', 'two overrides have the same RECURRENCE-ID');
  const kept: Kept = { calendar: [], components: {} };
  for (const prop of vcalendar.getAllProperties()) if (!CALENDAR_PROPERTIES.has(prop.name)) kept.calendar.push(prop.toJSON());
  for (const c of components) kept.components[c.recurrenceId === null ? MASTER_KEY : String(c.recurrenceId)] = c.kept;
  return { uid, master, overrides, kept };
}

function readComponent(vevent: Component, vcalendar: Component, floatingZone: string): ParsedComponent {
  const dtstart = vevent.getFirstProperty('dtstart');
  if (!dtstart) refuse('valid-calendar-object-resource', 'a VEVENT has no DTSTART');
  const start = timeOf(dtstart, vcalendar, floatingZone);
  const end = endOf(vevent, start.time, vcalendar, floatingZone);
  const recurrenceProp = vevent.getFirstProperty('recurrence-id');
  const recurrenceId = recurrenceProp ? instantOf(timeOf(recurrenceProp, vcalendar, floatingZone).time) : null;
  const rrule = vevent.getFirstPropertyValue('rrule');
  const input: EventInput = {
    summary: text(vevent, 'summary'), description: text(vevent, 'description'),
    isAllDay: 'date' in start.time, start: start.time, end,
    recurrence: rrule && recurrenceId === null ? String(rrule) : null,
    details: detailsOf(vevent),
  };
  try {
    validateEventInput(input);
  } catch (e) {
    if (e instanceof KalendsError) refuse('valid-calendar-data', e.message);
    throw e;
  }
  const exdates: number[] = [];
  for (const prop of vevent.getAllProperties('exdate')) {
    for (const value of prop.getValues() as Time[]) {
      const read = readDateTime(value, prop.getParameter('tzid') as string | undefined, vcalendar, floatingZone);
      if (!read) refuse('valid-calendar-data', `unknown TZID ${String(prop.getParameter('tzid'))} in EXDATE`);
      exdates.push(instantOf(read.time));
    }
  }
  const status = String(vevent.getFirstPropertyValue('status') ?? '').toUpperCase();
  return {
    recurrenceId, input, cancelled: status === 'CANCELLED',
    organizer: address(vevent.getFirstPropertyValue('organizer')),
    attendees: vevent.getAllProperties('attendee').map((p) => ({
      address: address(p.getFirstValue())!, cn: (p.getParameter('cn') as string | undefined) ?? null,
      optional: ['OPT-PARTICIPANT', 'NON-PARTICIPANT'].includes(String(p.getParameter('role') ?? '').toUpperCase()),
      cutype: String(p.getParameter('cutype') ?? 'INDIVIDUAL').toUpperCase(),
      partstat: partstatOf(p.getParameter('partstat')),
    })).filter((a) => a.address),
    exdates, kept: keptOf(vevent, start.floating, status === 'CANCELLED', input.details.reminders),
  };
}

function timeOf(prop: InstanceType<typeof ICAL.Property>, vcalendar: Component, floatingZone: string) {
  let read;
  try {
    read = readTime(prop, vcalendar, floatingZone);
  } catch (e) {
    refuse('valid-calendar-data', `${prop.name.toUpperCase()} is not a valid time: ${(e as Error).message}`);
  }
  if (!read) refuse('valid-calendar-data', `${prop.name.toUpperCase()} names a TZID with no VTIMEZONE and no known zone: ${String(prop.getParameter('tzid'))}`);
  return read;
}

/** DTEND, else DTSTART + DURATION, else (RFC 5545 §3.6.1) one day for a DATE, the start itself for a DATE-TIME. */
function endOf(vevent: Component, start: EventInput['start'], vcalendar: Component, floatingZone: string): EventInput['end'] {
  const dtend = vevent.getFirstProperty('dtend');
  if (dtend) return timeOf(dtend, vcalendar, floatingZone).time;
  const duration = vevent.getFirstPropertyValue('duration') as InstanceType<typeof ICAL.Duration> | null;
  const seconds = duration ? duration.toSeconds() : 'date' in start ? 86_400 : 0;
  if ('date' in start) return { date: new Date(Date.parse(`${start.date}T00:00:00Z`) + Math.max(seconds, 86_400) * 1000).toISOString().slice(0, 10) };
  return { instant: start.instant + seconds * 1000, timeZone: start.timeZone };
}

function instantOf(t: EventInput['start']): number {
  return 'date' in t ? Date.parse(`${t.date}T00:00:00Z`) : t.instant;
}

function text(vevent: Component, name: string): string {
  const v = vevent.getFirstPropertyValue(name);
  return v === null || v === undefined ? '' : String(v);
}

function address(value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  const v = value.trim();
  return /^mailto:/i.test(v) ? `mailto:${v.slice(7).toLowerCase()}` : v;
}

function partstatOf(value: unknown): PartStat {
  const p = String(value ?? 'NEEDS-ACTION').toUpperCase() as PartStat;
  return PARTSTATS.has(p) ? p : 'NEEDS-ACTION';
}

/** LOCATION, TRANSP, and the VALARMs that are reminders (RFC 5545 §3.6.6: a TRIGGER relative to the start, at or before it). */
function detailsOf(vevent: Component): EventDetails {
  const details: EventDetails = {};
  const location = vevent.getFirstPropertyValue('location');
  if (location) details.location = { name: String(location) };
  if (String(vevent.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT') details.freeBusyStatus = 'free';
  // RFC 5545 §3.8.1.3 CLASS: PUBLIC ⇄ public, PRIVATE and CONFIDENTIAL ⇄ private (the platforms' `visibility`).
  const klass = String(vevent.getFirstPropertyValue('class') ?? '').toUpperCase();
  if (klass === 'PUBLIC') details.visibility = 'public';
  else if (klass === 'PRIVATE' || klass === 'CONFIDENTIAL') details.visibility = 'private';
  const reminders = reminderMinutes(vevent);
  if (reminders.length > 0) details.reminders = reminders.map((minutes) => ({ minutes }));
  return details;
}

function reminderMinutes(vevent: Component): number[] {
  const minutes: number[] = [];
  for (const alarm of vevent.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstProperty('trigger');
    const value = trigger?.getFirstValue();
    if (!(value instanceof ICAL.Duration)) continue;
    if (String(trigger!.getParameter('related') ?? 'START').toUpperCase() !== 'START') continue;
    const seconds = value.toSeconds();
    if (seconds <= 0 && seconds % 60 === 0) minutes.push(-seconds / 60);
  }
  return [...new Set(minutes)].sort((a, b) => a - b);
}

function keptOf(vevent: Component, floating: boolean, cancelled: boolean, reminders: EventDetails['reminders']): KeptComponent {
  const props: unknown[] = [];
  for (const prop of vevent.getAllProperties()) {
    if (MODELLED_PROPERTIES.has(prop.name)) continue;
    if (prop.name === 'status' && cancelled) continue;
    props.push(prop.toJSON());
  }
  const subs = vevent.getAllSubcomponents();
  return {
    props,
    alarms: subs.filter((c) => c.name === 'valarm').map((c) => c.toJSON()),
    alarmMinutes: (reminders ?? []).map((r) => r.minutes),
    others: subs.filter((c) => c.name !== 'valarm').map((c) => c.toJSON()),
    floating,
  };
}

/** A read address as the directory is searched: `mailto:` stripped, lower-cased. */
export function emailOf(address: string): string | null {
  return address.startsWith('mailto:') ? address.slice('mailto:'.length) : null;
}

