/**
 * What of a client's iCalendar object Kalends does not model, kept per collection and resource
 * (caldav_objects.kept, JSON) and written back on GET, so a client gets back what it PUT: the
 * VCALENDAR's own properties (X-WR-CALNAME…), and per VEVENT (the master, and each override by
 * its RECURRENCE-ID) its unmodelled properties (X-*, CATEGORIES, ATTACH, SEQUENCE,
 * RDATE, STATUS other than CANCELLED…), its VALARMs as sent, and its other subcomponents, all as
 * ical.js jCal (RFC 7265) values.
 */
export interface Kept {
  /** jCal properties of the VCALENDAR beyond VERSION, PRODID, CALSCALE. */
  calendar: unknown[];
  /** By `master` or the override's RECURRENCE-ID (ms, as a string). */
  components: Record<string, KeptComponent>;
}

export interface KeptComponent {
  /** jCal properties Kalends does not model. */
  props: unknown[];
  /** jCal VALARM components as sent. */
  alarms: unknown[];
  /** The reminder minutes those VALARMs map to (sorted): when the event's reminders still are these, the VALARMs are written back as sent, else VALARMs are made from the reminders. */
  alarmMinutes: number[];
  /** Other subcomponents (jCal). */
  others: unknown[];
  /** DTSTART/DTEND were floating (no TZID, no Z): written back floating. */
  floating: boolean;
}

/** The properties of a VEVENT that Kalends models (the README's CalDAV mapping): not kept. */
export const MODELLED_PROPERTIES = new Set([
  'uid', 'dtstamp', 'dtstart', 'dtend', 'duration', 'summary', 'description', 'location', 'rrule', 'exdate',
  'recurrence-id', 'organizer', 'attendee', 'created', 'last-modified', 'transp', 'class',
]);

/** VCALENDAR properties Kalends writes itself (RFC 4791 §4.1 forbids METHOD in a stored object). */
export const CALENDAR_PROPERTIES = new Set(['version', 'prodid', 'calscale', 'method']);

export const MASTER_KEY = 'master';

export function emptyKept(): Kept {
  return { calendar: [], components: {} };
}

export function parseKept(text: string): Kept {
  return JSON.parse(text) as Kept;
}
