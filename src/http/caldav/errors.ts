import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode, KalendsError } from '../../core/errors.ts';
import { statusOf } from '../errors.ts';
import { NS, el, href, writeXml, type XmlNode } from './xml.ts';

/** How a catalogue error is said in CalDAV: HTTP status and, where an RFC names one, the precondition element of its `DAV:error` body. */
interface CaldavError { status: number; precondition?: 'need-privileges' | [ns: string, name: string] }

const denied: CaldavError = { status: 403, precondition: 'need-privileges' };
const gone: CaldavError = { status: 404 };
const refused: CaldavError = { status: 403 };
const bad: CaldavError = { status: 400 };

/**
 * Every catalogue code in CalDAV (RFC 4918 §16 and RFC 3744 §7.1.1 DAV:need-privileges,
 * RFC 4791 §5.3.2.1 / §9.x CALDAV preconditions, RFC 6578 §3.2, RFC 7232 412).
 */
export const CALDAV_ERRORS: Record<ErrorCode, CaldavError> = {
  INVALID_PARAMETER: bad,
  MALFORMED_BODY: bad,
  PAYLOAD_TOO_LARGE: { status: 413 },
  ROUTE_NOT_FOUND: gone,
  APP_CREDENTIALS_INVALID: { status: 401 },
  AUTH_CODE_INVALID: bad,
  REFRESH_TOKEN_INVALID: bad,
  ACCESS_TOKEN_MISSING: { status: 401 },
  ACCESS_TOKEN_INVALID: { status: 401 },
  SCOPE_MISSING: denied,
  USER_NOT_FOUND: gone,
  CALENDAR_NOT_FOUND: gone,
  CALENDAR_ID_INVALID: gone,
  CALENDAR_TYPE_INVALID: refused,
  CALENDAR_ACCESS_DENIED: denied,
  CALENDAR_DELETED: gone,
  SUBSCRIPTION_SCOPE_DENIED: denied,
  EVENT_NOT_FOUND: gone,
  EVENT_ID_INVALID: gone,
  EVENT_DELETED: gone,
  INSTANCE_NOT_FOUND: gone,
  TIME_RANGE_TOO_LONG: refused,
  INSTANCE_LIMIT_EXCEEDED: { status: 507, precondition: [NS.dav, 'number-of-matches-within-limits'] },
  MEETING_ROOM_UNAVAILABLE: { status: 409 },
  SCHEDULE_USER_COUNT: bad,
  SCHEDULE_TIME_FORMAT: bad,
  SCHEDULE_TIME_RANGE: refused,
  EVENT_PERMISSION_DENIED: denied,
  ATTENDEE_LIST_DENIED: denied,
  ATTENDEE_CREATE_DENIED: denied,
  ATTENDEE_DELETE_DENIED: denied,
  ATTENDEE_NOT_FOUND: refused,
  ATTENDEE_USER_NOT_FOUND: refused,
  ATTENDEE_TYPE_INVALID: { status: 403, precondition: [NS.caldav, 'valid-calendar-object-resource'] },
  ATTENDEE_BATCH_TOO_LARGE: { status: 403, precondition: [NS.caldav, 'max-attendees-per-instance'] },
  ATTENDEE_LIMIT_EXCEEDED: { status: 403, precondition: [NS.caldav, 'max-attendees-per-instance'] },
  NOT_AN_ATTENDEE: denied,
  IDEMPOTENCY_IN_PROGRESS: { status: 409 },
  IDEMPOTENCY_KEY_REUSED: { status: 409 },
  APP_BOT_DISABLED: denied,
  RATE_LIMITED: { status: 429 },
  APP_RATE_LIMITED: { status: 429 },
  CALENDAR_DATA_INVALID: { status: 403, precondition: [NS.caldav, 'valid-calendar-data'] },
  UID_CONFLICT: { status: 403, precondition: [NS.caldav, 'no-uid-conflict'] },
  ETAG_MISMATCH: { status: 412 },
  INTERNAL: { status: 500 },
};

/** The realm of the Basic challenge (RFC 7617 §2). */
export const CHALLENGE = 'Basic realm="Kalends CalDAV", charset="UTF-8"';

/** Preconditions the HTTP side raises itself (not from the catalogue): `DAV:` or `CALDAV:` names. */
export class PreconditionError extends Error {
  constructor(readonly status: number, readonly ns: string, readonly precondition: string, message: string) {
    super(message);
  }
}

/**
 * Sends a catalogue error: 401 with `WWW-Authenticate`; a `DAV:error` body (application/xml)
 * naming the precondition where one applies (`detail.precondition` of CALENDAR_DATA_INVALID
 * chooses among CALDAV:valid-calendar-data, valid-calendar-object-resource,
 * supported-calendar-component; UID_CONFLICT's names the resource holding the UID); else the
 * message as text/plain.
 */
export function sendCaldavError(reply: FastifyReply, request: FastifyRequest, error: KalendsError): FastifyReply {
  const wire = CALDAV_ERRORS[error.code];
  const status = statusOf(error, wire.status);
  reply.code(status);
  if (status === 401) reply.header('WWW-Authenticate', CHALLENGE);
  if (!wire.precondition) return reply.type('text/plain; charset=utf-8').send(`${error.message}\n`);
  let condition: XmlNode;
  if (wire.precondition === 'need-privileges') {
    const privilege = ['GET', 'HEAD', 'PROPFIND', 'REPORT'].includes(request.method) ? 'read' : 'write';
    condition = el(NS.dav, 'need-privileges', [el(NS.dav, 'resource', [href(request.url.split('?')[0]!), el(NS.dav, 'privilege', [el(NS.dav, privilege)])])]);
  } else {
    const detailName = typeof error.detail?.precondition === 'string' ? error.detail.precondition : undefined;
    const [ns, name] = detailName ? [NS.caldav, detailName] : wire.precondition;
    // RFC 4791 §5.3.2.1: no-uid-conflict names the resource that has the UID, a sibling of the request's.
    const sibling = typeof error.detail?.name === 'string' ? request.url.split('?')[0]!.replace(/[^/]*$/, encodeURIComponent(error.detail.name)) : undefined;
    const inner = error.code === 'UID_CONFLICT' && sibling ? [href(sibling)] : undefined;
    condition = el(ns, name, inner);
  }
  return sendDavError(reply, status, condition, error.message);
}

/** A `DAV:error` body (RFC 4918 §16) with one precondition element and a human description. */
export function sendDavError(reply: FastifyReply, status: number, condition: XmlNode, message: string): FastifyReply {
  return reply.code(status).type('application/xml; charset=utf-8')
    .send(writeXml(el(NS.dav, 'error', [condition, el(NS.dav, 'responsedescription', message)])));
}
