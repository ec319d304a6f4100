import type { FastifyRequest } from 'fastify';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { fail } from '../../../core/errors.ts';
import { listSignIns, signIn, signInLinkToken, type SignInEntry, type SignInKind } from '../../../core/events/sign-in.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { decodeToken, encodeToken } from '../../page-token.ts';
import { actingUser, calendarRef, eventKey } from '../context.ts';
import { EventParams, SignInListQuery } from '../schemas.ts';
import { CheckInReply, CheckOutReply, SignInLinkReply, SignInListReply, SignOutLinkReply, SignOutListReply } from '../replies.ts';

/** getSignInList / getSignOutList `type`: who has (`check_in`, `sign_out`) or has not yet. */
const LIST_TYPES: Record<SignInKind, Record<string, 'done' | 'pending'>> = {
  in: { check_in: 'done', not_yet_check_in: 'pending' },
  out: { sign_out: 'done', not_yet_sign_out: 'pending' },
};
const DEFAULT_PAGE = 100;

/** Where a sign-in page is served: this server, as the caller reached it. */
function pageUrl(request: FastifyRequest, token: string): string {
  return `${request.protocol}://${request.headers.host ?? request.hostname}/console/sign-in/${token}`;
}

function renderEntry(e: SignInEntry, timeField: 'checkInTime' | 'checkOutTime') {
  return { userId: e.user.union_id, displayName: e.user.name, ...(e.at !== null ? { [timeField]: e.at } : {}) };
}

/**
 * DingTalk event sign-in (签到) and sign-out (签退), on `…/events/{eventId}`:
 * - signIn `POST …/signin` and checkIn `POST …/checkIn` → `{checkInTime}`; signOut `POST
 *   …/signOut` → `{checkOutTime}`: the user of the path, an attendee (or the organizer), at the
 *   sandbox clock's time; the first one counts.
 * - getSignInList `GET …/signin?type=check_in|not_yet_check_in&maxResults&nextToken`,
 *   getSignOutList `GET …/signOut?type=sign_out|not_yet_sign_out…` → `{users[{userId,
 *   displayName, checkInTime|checkOutTime}], nextToken}` (pages of ≤ 500, 100 by default).
 * - getSignInLink `GET …/signInLinks` → `{signInLink}`, getSignOutLink `GET …/signOutLinks` →
 *   `{signOutLink}`: a page of this server where a tester signs in or out as an attendee.
 * Lists and links are the organizer's (or a writer's of the calendar).
 */
export function registerSignIn(app: HttpApp, deps: AppDeps): void {
  const event = '/calendar/users/:userId/calendars/:calendarId/events/:eventId';
  const write = { scope: SCOPES.eventWrite };
  const read = { scope: SCOPES.eventRead };

  for (const [path, kind, reply] of [['signin', 'in', CheckInReply], ['checkIn', 'in', CheckInReply], ['signOut', 'out', CheckOutReply]] as const) {
    app.post(`${event}/${path}`, { schema: { params: EventParams, response: { 200: reply } }, config: write }, async (request) => {
      const actor = await actingUser(deps, request, request.params.userId);
      const at = await deps.store.transaction((tx) =>
        signIn(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), kind, deps.clock.now()));
      return kind === 'in' ? { checkInTime: at } : { checkOutTime: at };
    });
  }

  for (const [path, kind, reply] of [['signin', 'in', SignInListReply], ['signOut', 'out', SignOutListReply]] as const) {
    app.get(`${event}/${path}`, { schema: { params: EventParams, querystring: SignInListQuery, response: { 200: reply } }, config: read }, async (request) => {
      const { type, maxResults, nextToken } = request.query;
      const which = LIST_TYPES[kind][type ?? ''];
      if (!which) fail('INVALID_PARAMETER', `type must be one of ${Object.keys(LIST_TYPES[kind]).join(', ')}`);
      const after = nextToken ? decodeToken<{ after: number }>(nextToken, 'nextToken', (v) => Number.isInteger(v.after)).after : -1;
      const size = maxResults ?? DEFAULT_PAGE;
      const actor = await actingUser(deps, request, request.params.userId);
      const rows = await listSignIns(deps.store.db, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), kind, which, after, size + 1);
      const page = rows.slice(0, size);
      const timeField = kind === 'in' ? 'checkInTime' : 'checkOutTime';
      return {
        users: page.map((e) => renderEntry(e, timeField)),
        ...(rows.length > size ? { nextToken: encodeToken({ after: page[page.length - 1]!.position }) } : {}),
      };
    });
  }

  for (const [path, kind, reply] of [['signInLinks', 'in', SignInLinkReply], ['signOutLinks', 'out', SignOutLinkReply]] as const) {
    app.get(`${event}/${path}`, { schema: { params: EventParams, response: { 200: reply } }, config: read }, async (request) => {
      const actor = await actingUser(deps, request, request.params.userId);
      const token = await deps.store.transaction((tx) =>
        signInLinkToken(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), kind, deps.clock.now()));
      return kind === 'in' ? { signInLink: pageUrl(request, token) } : { signOutLink: pageUrl(request, token) };
    });
  }
}
