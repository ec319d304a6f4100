import type { Actor } from '../actor.ts';
import type { Db } from '../../store/store.ts';
import { enqueue } from '../../store/repositories/outbox.ts';

/**
 * Channels a change may notify people through: DingTalk's pop-up reminder (`pushNotification`)
 * and direct message (`chatNotification`), Feishu's bot message (`need_notification`).
 */
export type NotifyChannel = 'push' | 'chat' | 'bot';

/** What happened, as the outbox and later the webhooks name it. */
export type ChangeTopic =
  | 'event.created' | 'event.updated' | 'event.deleted'
  | 'attendee.added' | 'attendee.removed' | 'attendee.responded'
  | 'calendar.changed' | 'acl.created' | 'acl.deleted' | 'app.callback_registered';

export interface Change {
  topic: ChangeTopic;
  eventId: string;
  /** Users to notify (internal ids); each gets one message per channel, the actor none. */
  recipients: readonly string[];
  channels: readonly NotifyChannel[];
  /** Topic-specific facts (who was added, the new response…). */
  data: Record<string, unknown>;
}

/** Whom a change notifies and how, as its outbox row carries it (`notify` in the payload). */
export interface ChangeNotices {
  channels: readonly NotifyChannel[];
  recipients: readonly string[];
}

/**
 * Writes a change to the outbox inside the caller's transaction: one `change` row carrying the
 * change's facts (the source of platform event callbacks) and, when channels were asked for,
 * whom to notify (`notify`); the dispatcher makes each recipient's messages from it, the text
 * from those facts and the event. One row whatever the number of recipients: a 500-attendee
 * invitation by reminder and message used to write 1,000 notice rows here, deleted again by
 * the dispatcher.
 */
export async function recordChange(tx: Db, actor: Actor, change: Change, now: number): Promise<void> {
  const who = { actorId: actor.userId, appId: actor.appId, platform: actor.platform };
  // An event's own changes keep whom it concerned then: callbacks are planned later, when the
  // attendee list may have moved on.
  const facts = change.topic.startsWith('event.') ? { ...change.data, users: change.recipients } : change.data;
  const recipients = change.channels.length > 0 ? change.recipients.filter((r) => r !== actor.userId) : [];
  const notify: ChangeNotices | undefined = recipients.length > 0 ? { channels: change.channels, recipients } : undefined;
  await enqueue(tx, [{
    tenant_id: actor.tenantId, topic: change.topic, channel: 'change', recipient_id: null, event_id: change.eventId,
    payload: JSON.stringify({ ...who, ...facts, notify }),
  }], now);
}

/**
 * Records that some users' calendar lists changed (a calendar created, changed, deleted,
 * subscribed or unsubscribed): the source of Feishu `calendar.calendar.changed_v4`.
 * @param users internal ids of the users whose calendar list changed.
 */
export async function recordCalendarChange(tx: Db, actor: Actor, calendarId: string, users: readonly string[], now: number): Promise<void> {
  const payload = JSON.stringify({ actorId: actor.userId, appId: actor.appId, platform: actor.platform, calendarId, users });
  await enqueue(tx, [{ tenant_id: actor.tenantId, topic: 'calendar.changed', channel: 'change', recipient_id: null, event_id: null, payload }], now);
}

/**
 * Records that an app registered (or changed) its event callback URL or secrets; the
 * dispatcher answers with the platform's URL check (Feishu `url_verification`, DingTalk
 * `check_url`).
 * @param appId the app's internal id.
 */
export async function recordCallbackRegistration(tx: Db, tenantId: string, appId: string, now: number): Promise<void> {
  const payload = JSON.stringify({ appId });
  await enqueue(tx, [{ tenant_id: tenantId, topic: 'app.callback_registered', channel: 'change', recipient_id: null, event_id: null, payload }], now);
}

/**
 * Records a change of a calendar's access list (a user given or denied a role): the source of
 * Feishu `calendar.calendar.acl.created_v4` / `…deleted_v4`.
 */
export async function recordAclChange(tx: Db, actor: Actor, topic: 'acl.created' | 'acl.deleted', acl: { calendarId: string; userId: string; role: string }, now: number): Promise<void> {
  const payload = JSON.stringify({ actorId: actor.userId, appId: actor.appId, platform: actor.platform, ...acl });
  await enqueue(tx, [{ tenant_id: actor.tenantId, topic, channel: 'change', recipient_id: null, event_id: null, payload }], now);
}
