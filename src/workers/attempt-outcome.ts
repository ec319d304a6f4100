import { recordAttempt, type AttemptRecord, type DeliveryRow } from '../store/repositories/deliveries.ts';
import type { Db } from '../store/store.ts';

/** What one attempt of a delivery gave: the receiver's status and reply, or why it failed. */
export interface AttemptOutcome {
  /** HTTP status, or the `code` of a stream acknowledgement. */
  status?: number;
  reply?: string;
  /** Set when the attempt did not deliver (an error, a refusal, LATER, no answer in time). */
  error?: string;
}

/** What was sent: the exact body and the headers as JSON (HTTP: the URL and headers; stream: the frame's metadata). */
export interface SentRequest {
  body: string;
  headers: string;
}

/** The retry settings shared by every transport (`--delivery-attempts`, `--delivery-backoff`). */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/**
 * How long a delivery's retries last from its first try to its last (ms): the waits between
 * `attempts` tries, `backoffMs` doubled each time, at most an hour each. A stream push waits
 * this long for a connection of its app before it is `dead`, as an HTTP callback to a receiver
 * that never answers would be.
 */
export function retryHorizonMs(policy: RetryPolicy): number {
  let total = 0;
  for (let k = 0; k < policy.attempts - 1; k++) total += Math.min(policy.backoffMs * 2 ** k, MAX_BACKOFF_MS);
  return total;
}

/** The largest reply body kept for the console (characters). */
const REPLY_KEPT = 4096;
const MAX_BACKOFF_MS = 3_600_000;

/**
 * What one attempt of a claimed delivery writes, whatever its transport: delivered; or pending
 * again after `backoffMs` doubled per earlier attempt (at most one hour); or `dead` after the last
 * allowed attempt. With the delivery's id and the attempt its claim made (`recordAttempts`).
 * @param machineNow the machine's clock (ms), which schedules retries.
 * @param clockNow the sandbox clock (ms), which dates `finished_at`.
 */
export function attemptRecord(
  delivery: DeliveryRow, outcome: AttemptOutcome, sent: SentRequest | null, policy: RetryPolicy, machineNow: number, clockNow: number,
): AttemptRecord {
  const failed = outcome.error !== undefined;
  const dead = failed && delivery.attempts >= policy.attempts;
  const backoff = Math.min(policy.backoffMs * 2 ** (delivery.attempts - 1), MAX_BACKOFF_MS);
  return {
    id: delivery.id,
    attempt: delivery.attempts,
    status: !failed ? 'delivered' : dead ? 'dead' : 'pending',
    next_attempt_at: failed && !dead ? machineNow + backoff : machineNow,
    sent_body: sent?.body ?? null,
    sent_headers: sent?.headers ?? null,
    last_status: outcome.status ?? null,
    last_reply: outcome.reply?.slice(0, REPLY_KEPT) ?? null,
    last_error: outcome.error ?? null,
    finished_at: failed && !dead ? null : clockNow,
  };
}

/**
 * Records one attempt of a claimed delivery (`attemptRecord`). Never throws: a record that fails
 * leaves the claim to run out, and another pass retries the delivery.
 * @param machineNow the machine's clock (ms), which schedules retries.
 * @param clockNow the sandbox clock (ms), which dates `finished_at`.
 */
export async function recordOutcome(
  db: Db, delivery: DeliveryRow, outcome: AttemptOutcome, sent: SentRequest | null, policy: RetryPolicy,
  machineNow: number, clockNow: number, log: (message: string) => void,
): Promise<void> {
  try {
    const { id, attempt, ...fields } = attemptRecord(delivery, outcome, sent, policy, machineNow, clockNow);
    await recordAttempt(db, id, attempt, fields);
  } catch (error) {
    log(`could not record delivery ${delivery.id}: ${(error as Error).message}`);
  }
}
