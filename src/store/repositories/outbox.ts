import type { Db } from '../store.ts';

export interface OutboxMessage {
  tenant_id: string;
  topic: string;
  channel: string;
  recipient_id: string | null;
  event_id: string | null;
  payload: string;
}

/** Queues messages in the caller's transaction; a dispatcher delivers them after commit. */
export async function enqueue(db: Db, messages: readonly OutboxMessage[], now: number): Promise<void> {
  if (messages.length === 0) return;
  await db.insertInto('outbox')
    .values(messages.map((m) => ({ ...m, status: 'pending', attempts: 0, created_at: now })))
    .execute();
}
