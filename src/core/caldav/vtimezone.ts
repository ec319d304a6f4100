import ICAL from 'ical.js';
import { offsetChangesIn, offsetMinutes } from '../time/zoned.ts';
import { instantToWall } from './ical-time.ts';

type Component = InstanceType<typeof ICAL.Component>;

const cache = new Map<string, unknown[]>();

/**
 * A VTIMEZONE (RFC 5545 §3.6.5) for an IANA zone, generated from the runtime's zone data (the
 * offset tables of src/core/time/zoned.ts): the zone's offset changes in `year` (the first
 * year the object uses), written as yearly rules of "the n-th (or last) weekday of the month"
 * (how every zone with daylight saving time states them today), or one STANDARD observance
 * for a zone without changes that year. Kept in memory per zone and year.
 */
export function vtimezoneFor(timeZone: string, year: number): Component {
  const key = `${timeZone}\u0000${year}`;
  let jcal = cache.get(key);
  if (!jcal) {
    jcal = build(timeZone, year).toJSON() as unknown[];
    if (cache.size > 1000) cache.clear();
    cache.set(key, jcal);
  }
  return new ICAL.Component(structuredClone(jcal) as unknown[]);
}

function build(timeZone: string, year: number): Component {
  const vtz = new ICAL.Component('vtimezone');
  vtz.addPropertyWithValue('tzid', timeZone);
  const changes = offsetChangesIn(timeZone, year);
  if (changes.length === 0) {
    const offset = offsetMinutes(timeZone, Date.UTC(year, 0, 1));
    vtz.addSubcomponent(observance('standard', { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, offset, offset, null));
    return vtz;
  }
  const offsets = changes.map((c) => c.to);
  const standard = Math.min(...offsets);
  for (const change of changes) {
    const wall = instantToWall(change.at, `${sign(change.from)}`);
    const day = wall.day;
    const daysInMonth = new Date(Date.UTC(wall.year, wall.month, 0)).getUTCDate();
    const weekday = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][new Date(Date.UTC(wall.year, wall.month - 1, day)).getUTCDay()]!;
    const nth = day + 7 > daysInMonth ? -1 : Math.ceil(day / 7);
    const rule = ICAL.Recur.fromData({ freq: 'YEARLY', bymonth: [wall.month], byday: [`${nth}${weekday}`] } as never);
    // The rule's first occurrence in 1970, so that the observance covers every year an object uses.
    const first = { ...wall, year: 1970, day: nthWeekday(1970, wall.month, nth, ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'].indexOf(weekday)) };
    vtz.addSubcomponent(observance(change.to === standard ? 'standard' : 'daylight', first, change.from, change.to, rule));
  }
  return vtz;
}

function observance(kind: string, wall: ReturnType<typeof instantToWall>, from: number, to: number, rule: InstanceType<typeof ICAL.Recur> | null): Component {
  const c = new ICAL.Component(kind);
  c.addPropertyWithValue('dtstart', ICAL.Time.fromData({ ...wall, isDate: false }));
  c.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromSeconds(from * 60));
  c.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromSeconds(to * 60));
  if (rule) c.addPropertyWithValue('rrule', rule);
  return c;
}

/** Day of the month of the n-th (n = -1: last) weekday (0 = Sunday) of a month. */
function nthWeekday(year: number, month: number, nth: number, weekday: number): number {
  if (nth > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return 1 + ((weekday - first + 7) % 7) + (nth - 1) * 7;
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, month - 1, lastDay)).getUTCDay();
  return lastDay - ((last - weekday + 7) % 7);
}

/** `±HH:MM` of an offset in minutes (a fixed zone for instantToWall). */
function sign(minutes: number): string {
  const s = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${s}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
