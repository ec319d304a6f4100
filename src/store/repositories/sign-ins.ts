import type { Db } from '../store.ts';

/** `in`: signed in (DingTalk signIn / checkIn); `out`: signed out (signOut). */
export type SignInKind = 'in' | 'out';

export interface SignInRow { user_id: string; at: number }

/**
 * Records a user's sign-in or sign-out of an event unless they already have one of that kind.
 * @returns the time that counts: the one recorded now, or the earlier one.
 */
export async function recordSignIn(db: Db, tenantId: string, eventId: string, kind: SignInKind, userId: string, at: number): Promise<number> {
  await db.insertInto('event_sign_ins').values({ tenant_id: tenantId, event_id: eventId, kind, user_id: userId, at })
    .onConflict((oc) => oc.columns(['event_id', 'kind', 'user_id']).doNothing()).execute();
  const row = await db.selectFrom('event_sign_ins').select('at').where('event_id', '=', eventId).where('kind', '=', kind)
    .where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.at);
}

/** Every sign-in (or sign-out) of an event, by user. */
export async function signInsOf(db: Db, eventId: string, kind: SignInKind): Promise<Map<string, number>> {
  const rows = await db.selectFrom('event_sign_ins').select(['user_id', 'at']).where('event_id', '=', eventId).where('kind', '=', kind).execute();
  return new Map(rows.map((r) => [r.user_id, Number(r.at)]));
}

export interface SignInLinkRow { token: string; tenant_id: string; event_id: string; kind: string }

/** The event's sign-in (or sign-out) page, if one was handed out. */
export function findLinkOfEvent(db: Db, eventId: string, kind: SignInKind): Promise<SignInLinkRow | undefined> {
  return db.selectFrom('event_sign_in_links').select(['token', 'tenant_id', 'event_id', 'kind'])
    .where('event_id', '=', eventId).where('kind', '=', kind).executeTakeFirst();
}

/** Keeps a new page token for the event unless it has one; @returns the event's token. */
export async function saveLink(db: Db, row: SignInLinkRow, now: number): Promise<string> {
  await db.insertInto('event_sign_in_links').values({ ...row, created_at: now })
    .onConflict((oc) => oc.columns(['event_id', 'kind']).doNothing()).execute();
  return (await findLinkOfEvent(db, row.event_id, row.kind as SignInKind))!.token;
}

/** The page behind a token. */
export function findLink(db: Db, token: string): Promise<SignInLinkRow | undefined> {
  return db.selectFrom('event_sign_in_links').select(['token', 'tenant_id', 'event_id', 'kind']).where('token', '=', token).executeTakeFirst();
}
