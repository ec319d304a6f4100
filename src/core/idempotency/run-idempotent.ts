import { fail } from '../errors.ts';
import type { Db, Store } from '../../store/store.ts';
import { claimOrFailLater, completeKey, findKeyLocked, insertClaim, isClaimTaken, reclaimKey } from '../../store/repositories/idempotency.ts';

/** How long a key is remembered (DingTalk seed 000: "expires after 1 day"), ms. */
export const IDEMPOTENCY_WINDOW_MS = 86_400_000;
/** A claim older than this is taken as abandoned by a crashed request, ms. */
export const ABANDONED_CLAIM_MS = 60_000;

/** A reply as stored for replay: HTTP status and the JSON body text ('' for none). */
export interface StoredReply {
  status: number;
  body: string;
  /** Set when this is the first request's reply, replayed for a repeated key. */
  replayed?: true;
}

export interface IdempotencyKey {
  appId: string;
  key: string;
  /** Digest of the request (method, path, query, body): the same key must mean the same request. */
  requestHash: string;
}

/**
 * Runs a write in one transaction; with a key, at most once per app and key within a day.
 *
 * A duplicate arriving while the first request runs in this process gets
 * IDEMPOTENCY_IN_PROGRESS at once. Otherwise the key is checked, claimed, and completed with the
 * reply inside the write's own transaction (one commit): a crash or a failed write leaves no
 * claim behind. On SQLite write transactions are exclusive, so nothing else can see the claim.
 * On PostgreSQL a duplicate running on another node at the same time inserts the same key: the
 * unique index makes its insert wait for the first transaction, then it replays the first reply
 * (or, if the first rolled back, runs itself). The claim used to commit in a transaction of its
 * own so the duplicate was refused at once instead; that cost two more round trips and a WAL
 * flush on every keyed write (bench/pg-statements.ts).
 * @returns the reply, either fresh or the first one replayed.
 * @throws KalendsError IDEMPOTENCY_IN_PROGRESS while the first request runs,
 *   IDEMPOTENCY_KEY_REUSED for the same key with a different request, and whatever `write` throws.
 */
export async function runIdempotent(store: Store, key: IdempotencyKey | null, now: number, write: (tx: Db) => Promise<StoredReply>): Promise<StoredReply> {
  if (!key) return store.transaction(write);
  const running = inFlightOf(store);
  const flight = `${key.appId}\u0000${key.key}`;
  if (running.has(flight)) fail('IDEMPOTENCY_IN_PROGRESS', 'Idempotency processing');
  running.add(flight);
  try {
    return await inOneTransaction(store, key, now, write);
  } finally {
    running.delete(flight);
  }
}

/** Keys of the requests this process is running, per store. */
const inFlight = new WeakMap<Store, Set<string>>();

function inFlightOf(store: Store): Set<string> {
  let set = inFlight.get(store);
  if (!set) inFlight.set(store, (set = new Set()));
  return set;
}

/**
 * Claims the key in `tx`: @returns the stored reply to replay, or null when this request now
 * holds the claim.
 */
async function claim(tx: Db, key: IdempotencyKey, now: number, first: boolean): Promise<StoredReply | null> {
  const row = { app_id: key.appId, key: key.key, request_hash: key.requestHash, created_at: now };
  if (first ? await claimOrFailLater(tx, row) : await insertClaim(tx, row)) return null;
  const existing = await findKeyLocked(tx, key.appId, key.key);
  if (existing && Number(existing.created_at) > now - IDEMPOTENCY_WINDOW_MS) {
    if (existing.request_hash !== key.requestHash) fail('IDEMPOTENCY_KEY_REUSED', 'x-client-token was already used for a different request');
    if (existing.state === 'done') return { status: existing.reply_status ?? 200, body: existing.reply_body ?? '', replayed: true };
    if (Number(existing.created_at) > now - ABANDONED_CLAIM_MS) fail('IDEMPOTENCY_IN_PROGRESS', 'Idempotency processing');
  }
  if (existing) await reclaimKey(tx, row);
  else if (!(await insertClaim(tx, row))) fail('IDEMPOTENCY_IN_PROGRESS', 'Idempotency processing');
  return null;
}

async function writeAndComplete(tx: Db, key: IdempotencyKey, write: (tx: Db) => Promise<StoredReply>): Promise<StoredReply> {
  const reply = await write(tx);
  await completeKey(tx, key.appId, key.key, reply.status, reply.body);
  return reply;
}

/**
 * The claim and the write in one transaction. On PostgreSQL the claim of a fresh key goes with
 * the write's first statement (claimOrFailLater); a key already there fails the transaction,
 * nothing of it applied, and the key is then looked at in a second transaction, as on SQLite.
 */
async function inOneTransaction(store: Store, key: IdempotencyKey, now: number, write: (tx: Db) => Promise<StoredReply>): Promise<StoredReply> {
  try {
    return await store.transaction(async (tx) => (await claim(tx, key, now, true)) ?? writeAndComplete(tx, key, write));
  } catch (error) {
    if (!isClaimTaken(error)) throw error;
    return store.transaction(async (tx) => (await claim(tx, key, now, false)) ?? writeAndComplete(tx, key, write));
  }
}
