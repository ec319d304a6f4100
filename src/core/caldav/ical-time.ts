import ICAL from 'ical.js';
import type { EventTime } from '../events/event.ts';
import { isTimeZone, offsetMinutes } from '../time/zoned.ts';

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

/** Wall-clock fields of an iCalendar DATE-TIME. */
interface Wall { year: number; month: number; day: number; hour: number; minute: number; second: number }

/**
 * The instant (ms) a wall-clock time has in an IANA zone (or `UTC`): the earlier of two when
 * the time repeats at a fall-back change, and shifted forward by the gap when it falls in a
 * spring-forward gap (RFC 5545 §3.3.5: "the DATE-TIME ... is interpreted using the UTC offset
 * before the gap").
 */
export function wallToInstant(w: Wall, timeZone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  if (timeZone === 'UTC') return asUtc;
  const before = offsetMinutes(timeZone, asUtc - 86_400_000);
  const guess = asUtc - before * 60_000;
  const at = offsetMinutes(timeZone, guess);
  if (at === before) return guess;
  const second = asUtc - at * 60_000;
  return offsetMinutes(timeZone, second) === at ? second : guess;
}

/** The wall-clock fields of an instant (ms) in a zone (IANA, fixed `±HH:MM`, or `UTC`). */
export function instantToWall(instant: number, timeZone: string): Wall {
  const d = new Date(instant + offsetMinutes(timeZone, instant) * 60_000);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}

/** A DATE value `YYYY-MM-DD` of an ICAL date. */
export function isoDateOf(t: Time): string {
  return `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

/**
 * How a DATE-TIME of a client's object is read: its TZID when the runtime knows the IANA zone;
 * else the object's own VTIMEZONE of that TZID (a Windows name, a custom zone), stored as the
 * fixed offset it has at that time; UTC for `Z`; a floating time in `floatingZone` (the
 * calendar's zone), flagged so it is written back floating.
 * @returns undefined when the TZID names no zone at all (refused: valid-calendar-data).
 */
export function readTime(prop: Property, vcalendar: Component, floatingZone: string): { time: EventTime; floating: boolean } | undefined {
  const t = prop.getFirstValue() as Time;
  if (t.isDate) return { time: { date: isoDateOf(t) }, floating: false };
  return readDateTime(t, prop.getParameter('tzid') as string | undefined, vcalendar, floatingZone);
}

/** As readTime, for one DATE-TIME value (EXDATE and RECURRENCE-ID have several or one). */
export function readDateTime(t: Time, tzid: string | undefined, vcalendar: Component, floatingZone: string): { time: EventTime; floating: boolean } | undefined {
  if (t.isDate) return { time: { date: isoDateOf(t) }, floating: false };
  const wall = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
  if (t.zone === ICAL.Timezone.utcTimezone || (t as unknown as { timezone?: string }).timezone === 'Z') {
    return { time: { instant: wallToInstant(wall, 'UTC'), timeZone: 'UTC' }, floating: false };
  }
  if (!tzid) return { time: { instant: wallToInstant(wall, floatingZone), timeZone: floatingZone }, floating: true };
  const name = tzid.replace(/^\//, '');
  if (isTimeZone(name)) return { time: { instant: wallToInstant(wall, name), timeZone: name }, floating: false };
  const vtz = vcalendar.getAllSubcomponents('vtimezone').find((z) => z.getFirstPropertyValue('tzid') === tzid);
  if (!vtz) return undefined;
  const zone = new ICAL.Timezone(vtz);
  const local = ICAL.Time.fromData({ ...wall, isDate: false }, zone);
  const offset = zone.utcOffset(local);
  const instant = wallToInstant(wall, 'UTC') - offset * 1000;
  return { time: { instant, timeZone: fixedOffset(offset / 60) }, floating: false };
}

function fixedOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** True for a zone written with TZID (an IANA name); fixed offsets and UTC are written in UTC. */
export function isNamedZone(timeZone: string): boolean {
  return timeZone !== 'UTC' && !/^[+-]\d{2}:\d{2}$/.test(timeZone);
}

/**
 * An ICAL time for an event time: a DATE for all-day; a DATE-TIME in UTC (`Z`) when `utc` or
 * the zone is UTC or a fixed offset; else the wall-clock time in its zone (the caller sets
 * TZID, and emits the zone's VTIMEZONE) or, with `floating`, the same without TZID.
 */
export function icalTime(t: EventTime, utc: boolean): { value: Time; tzid: string | null } {
  if ('date' in t) {
    const [y, m, d] = t.date.split('-').map(Number);
    return { value: ICAL.Time.fromData({ year: y!, month: m!, day: d!, isDate: true }), tzid: null };
  }
  if (utc || !isNamedZone(t.timeZone)) {
    return { value: ICAL.Time.fromData({ ...instantToWall(t.instant, 'UTC'), isDate: false }, ICAL.Timezone.utcTimezone), tzid: null };
  }
  return { value: ICAL.Time.fromData({ ...instantToWall(t.instant, t.timeZone), isDate: false }), tzid: t.timeZone };
}

/** A DATE-TIME or DATE property (DTSTART, DTEND, RECURRENCE-ID) for an event time. */
export function timeProperty(name: string, t: EventTime, opts: { utc?: boolean; floating?: boolean } = {}): Property {
  const { value, tzid } = icalTime(t, opts.utc ?? false);
  const prop = new ICAL.Property(name);
  if (tzid && !opts.floating) prop.setParameter('tzid', tzid);
  prop.setValue(value);
  return prop;
}
