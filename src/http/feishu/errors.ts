import type { ErrorCode } from '../../core/errors.ts';

/** A Feishu wire error: HTTP status, numeric `code` and the platform's `msg`. */
export interface FeishuError {
  status: number;
  code: number;
  msg: string;
}

const e = (status: number, code: number, msg: string): FeishuError => ({ status, code, msg });
const invalid = e(400, 190002, 'invalid parameters in request');

/**
 * Every core error code as Feishu says it: `{code, msg, error: {log_id}}` with the HTTP status
 * of seed 001's error table (19xxxx), the auth codes of the open platform (9999166x), and the
 * token endpoint's (10003, 10014).
 */
export const FEISHU_ERRORS: Record<ErrorCode, FeishuError> = {
  INVALID_PARAMETER: invalid,
  MALFORMED_BODY: invalid,
  PAYLOAD_TOO_LARGE: e(413, 190002, 'invalid parameters in request'),
  ROUTE_NOT_FOUND: e(404, 404, '404 page not found'),
  APP_CREDENTIALS_INVALID: e(400, 10014, 'app secret invalid'),
  // The authen endpoints' table (authen/v1/oidc/*, authen/v2/oauth/token); oauth-errors.ts
  // refines these by reason (expired 20004, used 20065, another app's 20024…).
  AUTH_CODE_INVALID: e(400, 20003, 'invalid code'),
  REFRESH_TOKEN_INVALID: e(400, 20026, 'invalid refresh token'),
  ACCESS_TOKEN_MISSING: e(400, 99991661, 'Missing access token for authorization. Please make a request with token attached.'),
  ACCESS_TOKEN_INVALID: e(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.'),
  SCOPE_MISSING: e(400, 99991672, 'Access denied. One of the following scopes is required'),
  USER_NOT_FOUND: e(404, 195100, 'user is dismiss or not exist in the tenant'),
  CALENDAR_NOT_FOUND: e(404, 191000, 'calendar not found'),
  CALENDAR_ID_INVALID: e(400, 191001, 'invalid calendar_id'),
  CALENDAR_TYPE_INVALID: e(403, 191004, 'invalid calendar type'),
  CALENDAR_ACCESS_DENIED: e(403, 191002, 'no calendar access_role'),
  CALENDAR_DELETED: e(403, 191003, 'calendar is deleted'),
  SUBSCRIPTION_SCOPE_DENIED: e(403, 191002, 'no calendar access_role'),
  EVENT_NOT_FOUND: e(404, 193001, 'event not found'),
  EVENT_ID_INVALID: e(400, 193000, 'invalid event_id'),
  EVENT_DELETED: e(403, 193003, 'event is deleted'),
  INSTANCE_NOT_FOUND: e(404, 193001, 'event not found'),
  // calendarEvent.instance_view's error table.
  TIME_RANGE_TOO_LONG: e(400, 193103, 'requested time exceeds the allowed range'),
  INSTANCE_LIMIT_EXCEEDED: e(400, 193104, 'exceeded the maximum instance number'),
  // Feishu books rooms asynchronously (a conflict declines the room), so this reaches its wire
  // only from a room's approval.
  MEETING_ROOM_UNAVAILABLE: e(400, 190002, 'invalid parameters in request'),
  // freebusy.batch's error table.
  SCHEDULE_USER_COUNT: e(400, 198001, 'the number of user ids exceeds the limit'),
  SCHEDULE_TIME_FORMAT: e(400, 198002, 'invalid time format'),
  SCHEDULE_TIME_RANGE: e(400, 198003, 'the time range exceeds the limit'),
  EVENT_PERMISSION_DENIED: e(403, 193002, 'no permission to operate event'),
  ATTENDEE_LIST_DENIED: e(403, 194001, 'no permission to list event attendees'),
  ATTENDEE_CREATE_DENIED: e(403, 194002, 'no permission to create event attendees'),
  ATTENDEE_DELETE_DENIED: e(403, 194003, 'no permission to delete event attendees'),
  ATTENDEE_NOT_FOUND: e(404, 194000, 'attendee not found'),
  ATTENDEE_USER_NOT_FOUND: e(404, 195100, 'user is dismiss or not exist in the tenant'),
  ATTENDEE_TYPE_INVALID: e(400, 194004, 'invalid attendee type'),
  ATTENDEE_BATCH_TOO_LARGE: invalid,
  ATTENDEE_LIMIT_EXCEEDED: invalid,
  NOT_AN_ATTENDEE: e(403, 193002, 'no permission to operate event'),
  IDEMPOTENCY_IN_PROGRESS: e(429, 190010, 'current operation rate limited'),
  IDEMPOTENCY_KEY_REUSED: invalid,
  APP_BOT_DISABLED: e(404, 190007, 'app bot_id not found'),
  RATE_LIMITED: e(429, 190004, 'method rate limited'),
  APP_RATE_LIMITED: e(429, 190005, 'app rate limited'),
  CALENDAR_DATA_INVALID: invalid,
  UID_CONFLICT: invalid,
  ETAG_MISMATCH: e(412, 190002, 'invalid parameters in request'),
  INTERNAL: e(500, 190003, 'internal service error'),
};
