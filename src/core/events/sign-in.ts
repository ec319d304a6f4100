import { randomBytes } from 'node:crypto';
import type { Actor } from '../actor.ts';
import { resolveEvent, type CalendarRef, type EventAccess } from '../acl/access.ts';
import { MAX_ATTENDEES_PER_EVENT } from '../attendees/limits.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { findUserAttendee, isChatMember, pageAttendees } from '../../store/repositories/attendees.ts';
import { findUsersByIds, type UserRow } from '../../store/repositories/directory.ts';
import { findEvent } from '../../store/repositories/events.ts';
import { findLink, findLinkOfEvent, recordSignIn, saveLink, signInsOf, type SignInKind } from '../../store/repositories/sign-ins.ts';
import type { CalendarEvent, EventKey } from './event.ts';

export type { SignInKind };

/**
 * Whether a user may sign in to (or out of) an event: its organizer, a user attendee, or a
 * member of a chat attendee. DingTalk: only the event's participants sign in.
 */
async function takesPart(db: Db, event: CalendarEvent, userId: string): Promise<boolean> {
  return event.organizerId === userId || (await findUserAttendee(db, event.id, userId)) !== undefined || isChatMember(db, event.id, userId);
}

async function signInUser(tx: Db, event: CalendarEvent, userId: string, kind: SignInKind, now: number): Promise<number> {
  if (!(await takesPart(tx, event, userId))) fail('NOT_AN_ATTENDEE', 'only the attendees of the event may sign in or out');
  return recordSignIn(tx, event.tenantId, event.id, kind, userId, now);
}

/**
 * The acting user signs in to (`in`: DingTalk signIn, checkIn) or out of (`out`: signOut) an
 * event, or one occurrence of a series, at `now` (the sandbox clock). The first sign-in of a
 * kind counts: a second one changes nothing and answers the first one's time.
 * @returns the time that counts (ms).
 * @throws KalendsError NOT_AN_ATTENDEE (neither organizer nor invited), those of resolveEvent.
 */
export async function signIn(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, kind: SignInKind, now: number): Promise<number> {
  const { event } = await resolveEvent(tx, actor, ref, key, false, true, now);
  return signInUser(tx, event, actor.userId, kind, now);
}

/** Only those who run the event (its organizer, writers of its calendar) see who signed in and hand out the pages. */
function requireRunner(access: EventAccess): void {
  if (!access.canWrite) fail('EVENT_PERMISSION_DENIED', 'only the organizer of the event may see its sign-ins and sign-in links');
}

/** One participant of an event with the time they signed in or out (null: not yet). */
export interface SignInEntry { user: UserRow; at: number | null; position: number }

/**
 * Who takes part in an event, in a stable order (the organizer first, then the user attendees
 * as they were added), each with their sign-in (or sign-out) time. Chat attendees' members
 * are not listed one by one.
 */
async function participants(db: Db, event: CalendarEvent, kind: SignInKind): Promise<SignInEntry[]> {
  const rows = (await pageAttendees(db, event.id, 0, MAX_ATTENDEES_PER_EVENT)).filter((r) => r.kind === 'user' && r.ref !== event.organizerId);
  const order = [{ id: event.organizerId, position: 0 }, ...rows.map((r) => ({ id: r.ref, position: Number(r.seq) }))];
  const users = new Map((await findUsersByIds(db, order.map((o) => o.id))).map((u) => [u.id, u]));
  // An occurrence expanded from its series has no row of its own, hence no sign-ins yet.
  const times = event.expanded ? new Map<string, number>() : await signInsOf(db, event.id, kind);
  return order.filter((o) => users.has(o.id)).map((o) => ({ user: users.get(o.id)!, at: times.get(o.id) ?? null, position: o.position }));
}

/**
 * A page of an event's participants who have signed in (or out) — `done` — or not yet —
 * `pending` — after position `after` (-1 for the first page).
 * @throws KalendsError EVENT_PERMISSION_DENIED (not the organizer or a writer), those of resolveEvent.
 */
export async function listSignIns(
  db: Db, actor: Actor, ref: CalendarRef, key: EventKey, kind: SignInKind, which: 'done' | 'pending', after: number, limit: number,
): Promise<SignInEntry[]> {
  const access = await resolveEvent(db, actor, ref, key);
  requireRunner(access);
  const all = await participants(db, access.event, kind);
  return all.filter((e) => (which === 'done') === (e.at !== null) && e.position > after).slice(0, limit);
}

/**
 * The token of the event's sign-in (or sign-out) page, made on first request and the same
 * afterwards (DingTalk getSignInLink / getSignOutLink hand out one link per event).
 * @throws KalendsError EVENT_PERMISSION_DENIED, those of resolveEvent.
 */
export async function signInLinkToken(tx: Db, actor: Actor, ref: CalendarRef, key: EventKey, kind: SignInKind, now: number): Promise<string> {
  const access = await resolveEvent(tx, actor, ref, key, false, true, now);
  requireRunner(access);
  const existing = await findLinkOfEvent(tx, access.event.id, kind);
  if (existing) return existing.token;
  return saveLink(tx, { token: randomBytes(18).toString('base64url'), tenant_id: actor.tenantId, event_id: access.event.id, kind }, now);
}

/** What a sign-in page shows: the event, the kind of page, and each participant's state. */
export interface SignInPage { event: CalendarEvent; kind: SignInKind; entries: SignInEntry[] }

/**
 * The page behind a sign-in link, or undefined for an unknown token or an event that was deleted.
 */
export async function signInPage(db: Db, token: string): Promise<SignInPage | undefined> {
  const link = await findLink(db, token);
  const event = link && (await findEvent(db, link.tenant_id, link.event_id));
  if (!link || !event || event.deletedAt !== null) return undefined;
  const kind = link.kind as SignInKind;
  return { event, kind, entries: await participants(db, event, kind) };
}

/**
 * A participant signs in (or out) through the page of a link, as a tester picking who they are
 * does on the console (the link is the capability, as DingTalk's own link is).
 * @throws KalendsError EVENT_NOT_FOUND (unknown token, deleted event), NOT_AN_ATTENDEE.
 */
export async function signInByLink(tx: Db, token: string, userId: string, now: number): Promise<number> {
  const link = await findLink(tx, token);
  const event = link && (await findEvent(tx, link.tenant_id, link.event_id));
  if (!link || !event || event.deletedAt !== null) fail('EVENT_NOT_FOUND', 'the specified event cannot be found');
  return signInUser(tx, event, userId, link.kind as SignInKind, now);
}
