import type { Actor } from '../actor.ts';
import type { Db } from '../../store/store.ts';
import { enqueue, type OutboxMessage } from '../../store/repositories/outbox.ts';

/**
 * Channels a change may notify people through: DingTalk's pop-up reminder (`pushNotification`)
 * and direct message (`chatNotification`), Feishu's bot message (`need_notification`).
 */
export type NotifyChannel = 'push' | 'chat' | 'bot';

/** What happened, as the outbox and later the webhooks name it. */
export type ChangeTopic =
  | 'event.created' | 'event.updated' | 'event.deleted'
  | 'attendee.added' | 'attendee.removed' | 'attendee.responded';

export interface Change {
  topic: ChangeTopic;
  eventId: string;
  /** Users to notify (internal ids); each gets one row per channel. */
  recipients: readonly string[];
  channels: readonly NotifyChannel[];
  /** Topic-specific facts (who was added, the new response…). */
  data: Record<string, unknown>;
}

/**
 * Writes a change to the outbox inside the caller's transaction: one `change` row carrying the
 * change's facts (the source of platform event callbacks), and one small row per recipient and
 * requested channel naming who did it (the notification's text is made at delivery from the
 * event and the change row).
 */
export async function recordChange(tx: Db, actor: Actor, change: Change, now: number): Promise<void> {
  const who = { actorId: actor.userId, appId: actor.appId, platform: actor.platform };
  const base = { tenant_id: actor.tenantId, topic: change.topic, event_id: change.eventId };
  const rows: OutboxMessage[] = [{ ...base, channel: 'change', recipient_id: null, payload: JSON.stringify({ ...who, ...change.data }) }];
  const notice = JSON.stringify(who);
  for (const channel of change.channels) {
    for (const recipient of change.recipients) {
      if (recipient !== actor.userId) rows.push({ ...base, channel, recipient_id: recipient, payload: notice });
    }
  }
  for (let i = 0; i < rows.length; i += 500) await enqueue(tx, rows.slice(i, i + 500), now);
}
