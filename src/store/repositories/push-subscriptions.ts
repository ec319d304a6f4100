import type { Db } from '../store.ts';

export interface PushSubscription { app_id: string; principal_id: string; topic: string; calendar_id: string }

export async function addSubscription(db: Db, s: PushSubscription, now: number): Promise<void> {
  await db.insertInto('push_subscriptions').values({ ...s, created_at: now })
    .onConflict((oc) => oc.columns(['app_id', 'principal_id', 'topic', 'calendar_id']).doNothing()).execute();
}

export async function removeSubscription(db: Db, s: PushSubscription): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('app_id', '=', s.app_id).where('principal_id', '=', s.principal_id)
    .where('topic', '=', s.topic).where('calendar_id', '=', s.calendar_id).execute();
}
