import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { runIdempotent, type StoredReply } from '../../core/idempotency/run-idempotent.ts';
import type { Db } from '../../store/store.ts';
import type { AppDeps } from '../deps.ts';

/**
 * Runs a write in one transaction, at most once per `x-client-token` (DingTalk seeds 000/002:
 * "the same x-client-token indicates the same request", kept one day) or Feishu
 * `idempotency_key`, for the calling app. The request digest covers method, URL and body, so
 * reusing a key for another request is told apart.
 * @param key the client's idempotency key, or undefined for none.
 * @param write returns the reply body object, or undefined for an empty 200.
 */
export async function runWrite(
  deps: AppDeps, request: FastifyRequest, appId: string, key: string | undefined,
  write: (tx: Db) => Promise<unknown>,
): Promise<StoredReply> {
  if (key) keyedOutcomes.set(request, 'executed');
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  return runIdempotent(deps.store, key ? { appId, key, requestHash } : null, deps.clock.now(), async (tx) => {
    const body = await write(tx);
    return { status: 200, body: body === undefined ? '' : JSON.stringify(body) };
  });
}

/** Sends a stored (or fresh) reply: an empty 200, or its JSON text. */
export function sendStored(reply: FastifyReply, stored: StoredReply): FastifyReply {
  if (stored.replayed) keyedOutcomes.set(reply.request, 'replayed');
  reply.code(stored.status);
  if (stored.body === '') return reply.send();
  return reply.type('application/json; charset=utf-8').send(stored.body);
}

/** What became of the requests that carried an idempotency key (for the metrics). */
const keyedOutcomes = new WeakMap<FastifyRequest, 'executed' | 'replayed'>();

/**
 * Whether a request carried an idempotency key, and whether its reply was the stored one
 * (`replayed`) or the write ran (`executed`); undefined without a key.
 */
export function idempotencyOutcome(request: FastifyRequest): 'executed' | 'replayed' | undefined {
  return keyedOutcomes.get(request);
}
