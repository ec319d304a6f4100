import { fail } from '../errors.ts';
import type { Db, Store } from '../../store/store.ts';
import { completeKey, findKeyLocked, insertClaim, reclaimKey, releaseKey } from '../../store/repositories/idempotency.ts';

/** How long a key is remembered (DingTalk seed 000: "expires after 1 day"), ms. */
export const IDEMPOTENCY_WINDOW_MS = 86_400_000;
/** A claim older than this is taken as abandoned by a crashed request, ms. */
export const ABANDONED_CLAIM_MS = 60_000;

/** A reply as stored for replay: HTTP status and the JSON body text ('' for none). */
export interface StoredReply {
  status: number;
  body: string;
}

export interface IdempotencyKey {
  appId: string;
  key: string;
  /** Digest of the request (method, path, query, body): the same key must mean the same request. */
  requestHash: string;
}

/**
 * Runs a write in one transaction; with a key, at most once per app and key within a day.
 * The key is claimed first by an insert that only one request can win (committed, so a
 * concurrent duplicate on any node sees it), then the write and the stored reply commit together. A failed write releases the claim, so a retry runs again.
 * @returns the reply, either fresh or the first one replayed.
 * @throws KalendsError IDEMPOTENCY_IN_PROGRESS while the first request runs,
 *   IDEMPOTENCY_KEY_REUSED for the same key with a different request, and whatever `write` throws.
 */
export async function runIdempotent(store: Store, key: IdempotencyKey | null, now: number, write: (tx: Db) => Promise<StoredReply>): Promise<StoredReply> {
  if (!key) return store.transaction(write);
  const claim = { app_id: key.appId, key: key.key, request_hash: key.requestHash, created_at: now };
  const replay = await store.transaction(async (tx) => {
    if (await insertClaim(tx, claim)) return null;
    const row = await findKeyLocked(tx, key.appId, key.key);
    if (row && Number(row.created_at) > now - IDEMPOTENCY_WINDOW_MS) {
      if (row.request_hash !== key.requestHash) fail('IDEMPOTENCY_KEY_REUSED', 'x-client-token was already used for a different request');
      if (row.state === 'done') return { status: row.reply_status ?? 200, body: row.reply_body ?? '' };
      if (Number(row.created_at) > now - ABANDONED_CLAIM_MS) fail('IDEMPOTENCY_IN_PROGRESS', 'Idempotency processing');
    }
    if (row) await reclaimKey(tx, claim);
    else if (!(await insertClaim(tx, claim))) fail('IDEMPOTENCY_IN_PROGRESS', 'Idempotency processing');
    return null;
  });
  if (replay) return replay;
  try {
    return await store.transaction(async (tx) => {
      const reply = await write(tx);
      await completeKey(tx, key.appId, key.key, reply.status, reply.body);
      return reply;
    });
  } catch (error) {
    await releaseKey(store.db, key.appId, key.key);
    throw error;
  }
}
