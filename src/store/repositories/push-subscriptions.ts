import type { Db } from '../store.ts';
import { receivesEvents } from './stream-connections.ts';

export interface PushSubscription { app_id: string; principal_id: string; topic: string; calendar_id: string }

export async function addSubscription(db: Db, s: PushSubscription, now: number): Promise<void> {
  await db.insertInto('push_subscriptions').values({ ...s, created_at: now })
    .onConflict((oc) => oc.columns(['app_id', 'principal_id', 'topic', 'calendar_id']).doNothing()).execute();
}

export async function removeSubscription(db: Db, s: PushSubscription): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('app_id', '=', s.app_id).where('principal_id', '=', s.principal_id)
    .where('topic', '=', s.topic).where('calendar_id', '=', s.calendar_id).execute();
}

/** A subscription whose app receives events now (a callback URL or an open long connection). */
export interface Subscriber { app_id: string; principal_id: string; calendar_id: string }

/**
 * Subscriptions of `topic` (`event`, `acl`) to any of `calendarIds`, of apps that receive events
 * now (stream-connections.ts `receivesEvents`); or, with topic `calendar`, the calendar-list subscriptions of `principalIds`.
 */
export function findSubscribers(db: Db, platform: string, topic: string, filter: { calendarIds?: readonly string[]; principalIds?: readonly string[] }): Promise<Subscriber[]> {
  let query = db.selectFrom('push_subscriptions as s').innerJoin('apps as a', 'a.id', 's.app_id')
    .select(['s.app_id', 's.principal_id', 's.calendar_id'])
    .where('s.topic', '=', topic).where('a.platform', '=', platform).where(receivesEvents);
  if (filter.calendarIds) query = query.where('s.calendar_id', 'in', filter.calendarIds.length ? filter.calendarIds : ['']);
  if (filter.principalIds) query = query.where('s.principal_id', 'in', filter.principalIds.length ? filter.principalIds : ['']);
  return query.orderBy('s.app_id').orderBy('s.calendar_id').execute();
}

/**
 * Whether any app of the tenant that receives events now has a subscription of `topic`: the
 * cheap question before the costly one (which calendars a change touches, for an event of
 * 5,000 attendees), which then only tenants with subscribers pay.
 */
export async function hasSubscribers(db: Db, platform: string, topic: string, tenantId: string): Promise<boolean> {
  const row = await db.selectFrom('push_subscriptions as s').innerJoin('apps as a', 'a.id', 's.app_id').select('s.app_id')
    .where('s.topic', '=', topic).where('a.platform', '=', platform).where('a.tenant_id', '=', tenantId).where(receivesEvents)
    .limit(1).executeTakeFirst();
  return row !== undefined;
}
