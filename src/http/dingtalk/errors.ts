import type { ErrorCode } from '../../core/errors.ts';

/** A DingTalk wire error: HTTP status and the `code` string of the JSON body. */
export interface DingTalkError {
  status: number;
  code: string;
}

const invalid = { status: 400, code: 'invalidParameter' };
const notFound = { status: 404, code: 'itemNotFound' };
const denied = { status: 400, code: 'permissionDenied' };

/**
 * Every core error code as DingTalk says it: `{code, message, requestid}` with these statuses.
 * Sources: seeds 000/002 (invalidParameter 400, idempotencyProcessing 400, itemNotFound 404),
 * seed 003 (permissionDenied 400), GetEvent's error table (instanceNotExist 404, "instance not
 * exist"), the platform's global errors for authentication
 * (InvalidAuthentication 401) and missing permissions
 * (Forbidden.AccessDenied.AccessTokenPermissionDenied 403).
 */
export const DINGTALK_ERRORS: Record<ErrorCode, DingTalkError> = {
  INVALID_PARAMETER: invalid,
  MALFORMED_BODY: invalid,
  PAYLOAD_TOO_LARGE: { status: 413, code: 'invalidParameter' },
  ROUTE_NOT_FOUND: { status: 404, code: 'InvalidAction.NotFound' },
  APP_CREDENTIALS_INVALID: { status: 400, code: 'invalidClientIdOrSecret' },
  // userAccessToken with an unknown, used or expired authCode: 400 invalidParameter.authCode.notFound
  // ("不合法的临时授权码", as the platform answers it). No documented code for a refresh token:
  // the generic invalidParameter.
  AUTH_CODE_INVALID: { status: 400, code: 'invalidParameter.authCode.notFound' },
  REFRESH_TOKEN_INVALID: invalid,
  ACCESS_TOKEN_MISSING: { status: 401, code: 'InvalidAuthentication' },
  ACCESS_TOKEN_INVALID: { status: 401, code: 'InvalidAuthentication' },
  SCOPE_MISSING: { status: 403, code: 'Forbidden.AccessDenied.AccessTokenPermissionDenied' },
  USER_NOT_FOUND: notFound,
  CALENDAR_NOT_FOUND: notFound,
  CALENDAR_ID_INVALID: invalid,
  CALENDAR_TYPE_INVALID: invalid,
  CALENDAR_ACCESS_DENIED: denied,
  CALENDAR_DELETED: notFound,
  SUBSCRIPTION_SCOPE_DENIED: denied,
  EVENT_NOT_FOUND: notFound,
  EVENT_ID_INVALID: notFound,
  EVENT_DELETED: notFound,
  INSTANCE_NOT_FOUND: { status: 404, code: 'instanceNotExist' },
  TIME_RANGE_TOO_LONG: invalid,
  INSTANCE_LIMIT_EXCEEDED: invalid,
  // addMeetingRooms' error table: 400 meetingRoomNotAvailable "room busy" (会议室已被占用).
  MEETING_ROOM_UNAVAILABLE: { status: 400, code: 'meetingRoomNotAvailable' },
  // getSchedule's error table: 400 paramIllegal "PARAM ILLEGAL"; the room schedule's: invalidParameter.
  SCHEDULE_USER_COUNT: { status: 400, code: 'paramIllegal' },
  SCHEDULE_TIME_FORMAT: { status: 400, code: 'paramIllegal' },
  SCHEDULE_TIME_RANGE: invalid,
  EVENT_PERMISSION_DENIED: denied,
  ATTENDEE_LIST_DENIED: denied,
  ATTENDEE_CREATE_DENIED: denied,
  ATTENDEE_DELETE_DENIED: denied,
  ATTENDEE_NOT_FOUND: invalid,
  ATTENDEE_USER_NOT_FOUND: invalid,
  ATTENDEE_TYPE_INVALID: invalid,
  ATTENDEE_BATCH_TOO_LARGE: invalid,
  ATTENDEE_LIMIT_EXCEEDED: invalid,
  NOT_AN_ATTENDEE: denied,
  IDEMPOTENCY_IN_PROGRESS: { status: 400, code: 'idempotencyProcessing' },
  IDEMPOTENCY_KEY_REUSED: invalid,
  APP_BOT_DISABLED: denied,
  RATE_LIMITED: { status: 429, code: 'Throttling' },
  APP_RATE_LIMITED: { status: 429, code: 'Throttling' },
  CALENDAR_DATA_INVALID: invalid,
  UID_CONFLICT: invalid,
  ETAG_MISMATCH: { status: 412, code: 'invalidParameter' },
  INTERNAL: { status: 500, code: 'InternalError' },
};
