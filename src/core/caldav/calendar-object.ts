/**
 * The shapes of CalDAV calendar object resources (RFC 4791 §4.1): one `.ics` resource per event,
 * holding the series' master and its overrides (exceptions) in one iCalendar object. A resource
 * lives in one calendar collection under a name the client chose (not necessarily its UID);
 * events made through the DingTalk or Feishu APIs are named `<event id>.ics` until a client
 * writes them under another name.
 *
 * The collection of a user's primary calendar holds the events on that calendar and the events
 * the user is invited to (RFC 6638 §3.2: the server delivers the invitation into the attendee's
 * calendar), as DingTalk and Feishu list them.
 */

/** A strong entity tag (RFC 7232 §2.3), quotes included: `"…"`. */
export type ETag = string;

/** One resource of a calendar collection, as a listing (PROPFIND depth 1, sync-collection) needs it. */
export interface ObjectSummary {
  /** The resource name within its collection, e.g. `abc.ics` (no slashes; percent-decoded). */
  name: string;
  /** Strong ETag: changes whenever the rendered object changes, including through the platform APIs. */
  etag: ETag;
  /** The event's (series master's) internal id. */
  eventId: string;
  /** The newest change-log position of the object (master, exceptions, attendees, kept remainder): a sync-collection compares it with a token's position. */
  changeSeq: number;
}

/** A rendered calendar object: iCalendar text (RFC 5545, CRLF line ends) and its ETag. */
export interface CalendarObject extends ObjectSummary {
  /** `text/calendar` body: one VCALENDAR with VTIMEZONEs for every zone used, the master VEVENT and its overrides. */
  ics: string;
  /** `ics` as UTF-8 bytes, made once and remembered with the rendering: a GET sends these as they are (a 5,000-attendee object is ~400 KB). */
  bytes: Buffer;
}

/**
 * Conditions of a PUT or DELETE (RFC 7232 §3.1/§3.2, RFC 4791 §5.3.2): `ifMatch` an ETag the
 * resource must have now, or `*` for any (it must exist) (412 otherwise, ETAG_MISMATCH);
 * `ifNoneMatch` true for `If-None-Match: *` (the resource must not exist yet: create only).
 */
export interface WritePreconditions {
  ifMatch?: ETag | null;
  ifNoneMatch?: boolean;
}

/** What a PUT did: the new ETag, and whether the resource was created (201) or changed (204). */
export interface PutResult {
  etag: ETag;
  created: boolean;
}

/**
 * How the HTTP side says the core's refusals of a calendar object write (RFC 4791 §5.3.2.1,
 * RFC 6638 §3.2.4.1). Thrown as KalendsError with these catalogue codes:
 * - CALENDAR_DATA_INVALID, `detail.precondition` one of {@link CalendarDataPrecondition} (403/400 with a DAV:error body).
 * - UID_CONFLICT: `no-uid-conflict`, `detail.name` the resource name that has the UID (403, with `DAV:href`).
 * - ETAG_MISMATCH: If-Match / If-None-Match failed (412).
 * - EVENT_NOT_FOUND: no such resource (404) for GET/DELETE/If-Match on a missing one.
 * - EVENT_PERMISSION_DENIED / CALENDAR_ACCESS_DENIED: the user may not write there (403, DAV:need-privileges).
 * - ATTENDEE_LIMIT_EXCEEDED, MEETING_ROOM_UNAVAILABLE, INVALID_PARAMETER: the core refused the
 *   event as it would through the APIs (403 with the message).
 */
export type CalendarDataPrecondition =
  /** Not parsable as iCalendar (RFC 4791 `CALDAV:valid-calendar-data`). */
  | 'valid-calendar-data'
  /** Parsable but breaks the object rules: several UIDs, a METHOD property, no DTSTART, overrides without a master (`CALDAV:valid-calendar-object-resource`). */
  | 'valid-calendar-object-resource'
  /** No VEVENT, or another component (VTODO, VJOURNAL) (`CALDAV:supported-calendar-component`). */
  | 'supported-calendar-component';
