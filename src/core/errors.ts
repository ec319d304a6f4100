/**
 * The one error catalogue of Kalends. Core functions throw `KalendsError` with one of these
 * stable codes; each wire dialect maps every code, through an exhaustive
 * `Record<ErrorCode, …>`, to its own error body and HTTP status, so adding a code here fails
 * the build until every dialect has decided how to say it.
 */
export const ERROR_CODES = [
  /** A request field is missing, of the wrong type or out of range. */
  'INVALID_PARAMETER',
  /** The request body is not valid JSON. */
  'MALFORMED_BODY',
  /** The request body is larger than the server accepts. */
  'PAYLOAD_TOO_LARGE',
  /** No route answers this method and path. */
  'ROUTE_NOT_FOUND',
  /** App credentials (appKey/appSecret, app_id/app_secret) are unknown or wrong. */
  'APP_CREDENTIALS_INVALID',
  /**
   * An authorization code that is unknown, already exchanged, expired or another app's
   * (detail.reason: `unknown`, `used`, `expired`, `other_app`).
   */
  'AUTH_CODE_INVALID',
  /**
   * A refresh token that is unknown, already redeemed (refresh tokens rotate), expired or
   * another app's (detail.reason as for AUTH_CODE_INVALID).
   */
  'REFRESH_TOKEN_INVALID',
  /** No access token was sent. */
  'ACCESS_TOKEN_MISSING',
  /** The access token is unknown, malformed or expired. */
  'ACCESS_TOKEN_INVALID',
  /** The app lacks the permission scope the operation requires. */
  'SCOPE_MISSING',
  /** The acting or named user does not exist in the app's tenant (or has left). */
  'USER_NOT_FOUND',
  /** The calendar does not exist (or belongs to another tenant). */
  'CALENDAR_NOT_FOUND',
  /** The calendar id is blank or not of the platform's form. */
  'CALENDAR_ID_INVALID',
  /** The calendar is of a type the operation does not apply to. */
  'CALENDAR_TYPE_INVALID',
  /** The acting identity has no access role on the calendar. */
  'CALENDAR_ACCESS_DENIED',
  /** The calendar was deleted. */
  'CALENDAR_DELETED',
  /** The user is outside the subscribed calendar's subscribe scope. */
  'SUBSCRIPTION_SCOPE_DENIED',
  /** The event does not exist on that calendar (or belongs to another tenant). */
  'EVENT_NOT_FOUND',
  /** The event id is not of the platform's form. */
  'EVENT_ID_INVALID',
  /** The event was deleted. */
  'EVENT_DELETED',
  /** No such occurrence of a recurring event: the rule does not produce it, or it was cancelled. */
  'INSTANCE_NOT_FOUND',
  /** A time window is longer than the operation allows. */
  'TIME_RANGE_TOO_LONG',
  /** A view would hold more occurrences than the operation returns. */
  'INSTANCE_LIMIT_EXCEEDED',
  /** The meeting room is booked at one of the event's times. */
  'MEETING_ROOM_UNAVAILABLE',
  /** A free/busy query names too many people (or none). */
  'SCHEDULE_USER_COUNT',
  /** A free/busy query's times are not of the required format. */
  'SCHEDULE_TIME_FORMAT',
  /** A free/busy query's window is longer than the operation allows. */
  'SCHEDULE_TIME_RANGE',
  /** The acting identity may not change this event. */
  'EVENT_PERMISSION_DENIED',
  /** The acting identity may not list this event's attendees. */
  'ATTENDEE_LIST_DENIED',
  /** Only the organizer (or a writer of the calendar) may add attendees. */
  'ATTENDEE_CREATE_DENIED',
  /** Only the organizer (or a writer of the calendar) may remove attendees. */
  'ATTENDEE_DELETE_DENIED',
  /** A chat, room or attendee id named in the request does not exist (on the event). */
  'ATTENDEE_NOT_FOUND',
  /** A user named as attendee is not in the tenant, or has left. */
  'ATTENDEE_USER_NOT_FOUND',
  /** The attendee type is not one the platform knows. */
  'ATTENDEE_TYPE_INVALID',
  /** More attendees in one call than the platform allows (500). */
  'ATTENDEE_BATCH_TOO_LARGE',
  /** The event would exceed the platform's attendee cap (5,000). */
  'ATTENDEE_LIMIT_EXCEEDED',
  /** The user answering an invitation is not invited to the event. */
  'NOT_AN_ATTENDEE',
  /** A request with this idempotency key is still being processed. */
  'IDEMPOTENCY_IN_PROGRESS',
  /** The idempotency key was already used for a different request. */
  'IDEMPOTENCY_KEY_REUSED',
  /** The app has not enabled its bot (Feishu apps acting with a tenant token). */
  'APP_BOT_DISABLED',
  /** Too many requests for one method of one app. */
  'RATE_LIMITED',
  /** Too many requests for one app, all methods together. */
  'APP_RATE_LIMITED',
  /** A calendar object (iCalendar text) a client sent is unparsable or not one Kalends stores (RFC 4791 §5.3.2.1 valid-calendar-data, valid-calendar-object-resource, supported-calendar-component; `detail.precondition` names which). */
  'CALENDAR_DATA_INVALID',
  /** Another calendar object of the same calendar already has this UID (RFC 4791 §5.3.2.1 no-uid-conflict; `detail.name` is its resource name). */
  'UID_CONFLICT',
  /** A conditional request's If-Match / If-None-Match does not hold (RFC 7232 §4.2, 412). */
  'ETAG_MISMATCH',
  /** A fault of the server itself; never used for a client's mistake. */
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error of the calendar domain, with a stable catalogue code and a human message. */
export class KalendsError extends Error {
  readonly code: ErrorCode;
  /** Optional machine-readable detail (e.g. the scopes that were required). */
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'KalendsError';
    this.code = code;
    this.detail = detail;
  }
}

/** Shorthand for `throw new KalendsError(code, message)` in expression position. */
export function fail(code: ErrorCode, message: string, detail?: Record<string, unknown>): never {
  throw new KalendsError(code, message, detail);
}
