import ICAL from 'ical.js';
import type { Db } from '../../store/store.ts';
import { userFreeBusy, type BusyItem, type BusySpan } from '../schedule/free-busy.ts';

/** What a VFREEBUSY names besides its busy time: an iTIP REPLY's METHOD, UID, ORGANIZER and ATTENDEE (RFC 5546 §3.3.3). */
export interface FreeBusyHeader {
  method?: 'REPLY';
  uid?: string;
  organizer?: string;
  attendee?: string;
}

/**
 * A user's busy time in [from, to) (ms) as an iCalendar VFREEBUSY (RFC 5545 §3.6.4; the answer
 * of a free-busy-query REPORT, RFC 4791 §7.10, and of an RFC 6638 §5 schedule-outbox POST):
 * FREEBUSY periods in UTC with FBTYPE BUSY or BUSY-TENTATIVE, as userFreeBusy
 * (src/core/schedule/free-busy.ts) computes them for the APIs (declined and free events take no time).
 * @param people optional METHOD / UID / ORGANIZER / ATTENDEE for the VFREEBUSY (iTIP REPLY).
 * @returns the VCALENDAR text (CRLF).
 */
export async function freeBusyCalendar(
  db: Db, tenantId: string, userId: string, from: number, to: number, now: number, people: FreeBusyHeader = {},
): Promise<string> {
  return freeBusyText(await userFreeBusy(db, tenantId, userId, from, to, { includeFree: false }), from, to, now, people);
}

/** Busy items (free/busy of a user or a meeting room) as a VCALENDAR with one VFREEBUSY. */
export function freeBusyText(items: ReadonlyArray<BusyItem<BusySpan>>, from: number, to: number, now: number, people: FreeBusyHeader = {}): string {
  const vcalendar = new ICAL.Component('vcalendar');
  vcalendar.addPropertyWithValue('version', '2.0');
  vcalendar.addPropertyWithValue('prodid', '-//Kalends//CalDAV//EN');
  if (people.method) vcalendar.addPropertyWithValue('method', people.method);
  const vfreebusy = new ICAL.Component('vfreebusy');
  if (people.uid) vfreebusy.addPropertyWithValue('uid', people.uid);
  vfreebusy.addPropertyWithValue('dtstamp', utc(now));
  vfreebusy.addPropertyWithValue('dtstart', utc(from));
  vfreebusy.addPropertyWithValue('dtend', utc(to));
  if (people.organizer) vfreebusy.addPropertyWithValue('organizer', people.organizer);
  if (people.attendee) vfreebusy.addPropertyWithValue('attendee', people.attendee);
  for (const item of items) {
    const start = Math.max(item.start, from);
    const end = Math.min(item.end, to);
    if (end <= start) continue;
    const prop = new ICAL.Property('freebusy');
    prop.setParameter('fbtype', item.status === 'BUSY' ? 'BUSY' : 'BUSY-TENTATIVE');
    prop.setValue(ICAL.Period.fromData({ start: utc(start), end: utc(end) } as never));
    vfreebusy.addProperty(prop);
  }
  vcalendar.addSubcomponent(vfreebusy);
  return vcalendar.toString() + '\r\n';
}

function utc(ms: number): InstanceType<typeof ICAL.Time> {
  return ICAL.Time.fromJSDate(new Date(Math.floor(ms / 1000) * 1000), true);
}
