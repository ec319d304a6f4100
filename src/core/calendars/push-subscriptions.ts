import type { Actor } from '../actor.ts';
import { resolveCalendar, type CalendarRef } from '../acl/access.ts';
import type { Db } from '../../store/store.ts';
import { addSubscription, removeSubscription } from '../../store/repositories/push-subscriptions.ts';

/**
 * What an app subscribes its identity to for change pushes (Feishu `calendar.subscription`,
 * `calendarEvent.subscription`, `calendarAcl.subscription`): the calendar list, or one
 * calendar's events or access list. Delivery reads these rows; only subscribers are pushed to.
 */
export type PushTopic = 'calendar' | 'event' | 'acl';

/**
 * Subscribes (or, with `on` false, unsubscribes) the acting identity to a topic. Subscribing
 * twice changes nothing. For `event` and `acl` the identity must be able to read the calendar.
 * @throws KalendsError those of resolveCalendar.
 */
export async function setPushSubscription(tx: Db, actor: Actor, topic: PushTopic, ref: CalendarRef | null, on: boolean, now: number): Promise<void> {
  const calendarId = ref ? (await resolveCalendar(tx, actor, ref)).calendar.id : '';
  const row = { app_id: actor.appId, principal_id: actor.userId, topic, calendar_id: calendarId };
  if (on) await addSubscription(tx, row, now);
  else await removeSubscription(tx, row);
}
