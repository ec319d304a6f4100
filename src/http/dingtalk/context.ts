import type { FastifyRequest } from 'fastify';
import type { Actor, AppIdentity } from '../../core/actor.ts';
import { resolveActingUser, type CalendarRef } from '../../core/acl/access.ts';
import { fail } from '../../core/errors.ts';
import { findUserById, type UserRow } from '../../store/repositories/directory.ts';
import { parseIsoDateTime } from '../../core/time/zoned.ts';
import type { AppDeps } from '../deps.ts';
import { parseEventKey, parseId } from './ids.ts';
import type { EventKey } from '../../core/events/event.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The app behind the access token, set by the DingTalk auth hook. */
    dingtalkApp: AppIdentity | null;
    /** The user of a user access token (internal id); null for an app token. */
    dingtalkTokenUser: string | null;
  }
  interface FastifyContextConfig {
    /** Permission scope the route requires (DingTalk "Required permissions"). */
    scope?: string;
    /** The route takes no access token (the oauth2 token endpoints). */
    anonymous?: boolean;
  }
}

/** The authenticated app of a request (the auth hook has run). */
export function appOf(request: FastifyRequest): AppIdentity {
  if (!request.dingtalkApp) throw new Error('DingTalk route reached without authentication');
  return request.dingtalkApp;
}

/**
 * The acting user: the `userId` path segment, a unionId of the app's tenant. A user access
 * token acts only as its own user (DingTalk user tokens: a personal app acts for the user who
 * authorized it).
 * @throws KalendsError USER_NOT_FOUND (any other tenant's user looks the same as none),
 *   CALENDAR_ACCESS_DENIED (a user token naming another user).
 */
export async function actingUser(deps: AppDeps, request: FastifyRequest, userId: string): Promise<Actor & { user: UserRow }> {
  const actor = await resolveActingUser(deps.store.db, appOf(request), userId);
  if (request.dingtalkTokenUser !== null && request.dingtalkTokenUser !== actor.userId) {
    fail('CALENDAR_ACCESS_DENIED', 'a user access token acts only as its own user');
  }
  return actor;
}

/**
 * The acting user of a `/v1.0/calendar/me/…` operation (listEventsViewByMe, getScheduleByMe…):
 * the user of the request's user access token.
 * @throws KalendsError ACCESS_TOKEN_INVALID for an app access token; USER_NOT_FOUND for a user who left.
 */
export async function tokenUser(deps: AppDeps, request: FastifyRequest): Promise<Actor & { user: UserRow }> {
  const userId = request.dingtalkTokenUser;
  if (userId === null) fail('ACCESS_TOKEN_INVALID', 'this operation takes a user access token (x-acs-dingtalk-access-token of a user)');
  const user = await findUserById(deps.store.db, userId);
  return resolveActingUser(deps.store.db, appOf(request), user?.union_id ?? '');
}

/**
 * A time of a view's window: ISO 8601 with `Z` or an offset (`2022-11-27T00:00:00+08:00`,
 * `2022-11-27T00:00Z` as the SDK remarks write it), as ms.
 * @throws KalendsError INVALID_PARAMETER naming the field when absent or malformed.
 */
export function windowTime(value: string | undefined, field: string): number {
  if (value === undefined || value === '') fail('INVALID_PARAMETER', `${field} is required`);
  return parseIsoDateTime(value, field).instant;
}

/** `primary` or a DingTalk calendar id; an id Kalends did not make stays as given and is found nowhere. */
export function calendarRef(calendarId: string): CalendarRef {
  return calendarId === 'primary' ? { primary: true } : { id: parseId(calendarId) ?? calendarId };
}

/** The event or occurrence behind a DingTalk event id (id '' when it is not one of ours: not found). */
export function eventKey(eventId: string): EventKey {
  return parseEventKey(eventId);
}

/** The `x-client-token` header, when sent. */
export function clientToken(request: FastifyRequest): string | undefined {
  const value = request.headers['x-client-token'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
