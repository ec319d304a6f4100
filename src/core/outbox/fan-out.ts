import type { Insertable } from 'kysely';
import type { Database } from '../../store/schema.ts';
import type { Store, Db } from '../../store/store.ts';
import { hasPending, lockPending, markDone, type OutboxRow } from '../../store/repositories/outbox.ts';
import { insertInboxMessages } from '../../store/repositories/inbox.ts';
import { insertDeliveries, type NewDelivery } from '../../store/repositories/deliveries.ts';
import { findUsersByIds, tenantsWithCallbacks } from '../../store/repositories/directory.ts';
import { findEvent } from '../../store/repositories/events.ts';
import type { CalendarEvent } from '../events/event.ts';
import type { CallbackFormat } from './callback-format.ts';
import type { ChangeNotices } from './notify.ts';
import { noticeText } from './notice-text.ts';

/** What one fan-out pass did. */
export interface FanOutResult {
  /** Outbox messages handled. */
  messages: number;
  inbox: number;
  deliveries: number;
}

/**
 * Turns pending outbox messages into what they cause, in one transaction: each change's notices
 * (`push`, `chat`, `bot`, named in its payload's `notify`) into their recipients' inboxes, and
 * the change into HTTP callbacks to the apps each platform's format picks (sent later, with
 * retries). A crash leaves the messages pending; on PostgreSQL concurrent dispatchers skip each
 * other's rows. Notice rows of their own (one per recipient and channel, as changes were
 * recorded before they carried `notify`) still become inbox messages.
 * A pass stops taking messages once it has made `noticeBudget` inbox messages (a change to an
 * event of 5,000 attendees told by two channels makes 10,000); it always takes one, and those
 * it did not take stay pending for the next pass.
 * @param limit outbox messages per pass.
 */
export async function fanOut(store: Store, formats: readonly CallbackFormat[], now: number, limit: number, noticeBudget = NOTICE_BUDGET): Promise<FanOutResult> {
  if (!(await hasPending(store.db))) return { messages: 0, inbox: 0, deliveries: 0 };
  return store.transaction(async (tx) => {
    const locked = await lockPending(tx, limit);
    if (locked.length === 0) return { messages: 0, inbox: 0, deliveries: 0 };
    const payloads = new Map(locked.map((r) => [r, payloadOf(r)]));
    const rows = withinBudget(locked, payloads, noticeBudget);
    const lookups = new Lookups(tx);
    await lookups.names(rows.filter((r) => r.channel !== 'change' || payloads.get(r)!.notify).map((r) => payloads.get(r)!.actorId ?? ''));
    // Planning a callback costs queries; only tenants with an app that registered a URL need it.
    const hooked = await tenantsWithCallbacks(tx);
    const inbox: Array<Insertable<Database['inbox_messages']>> = [];
    const deliveries: NewDelivery[] = [];
    for (const row of rows) {
      const payload = payloads.get(row)!;
      const notices = row.channel === 'change'
        ? payload.notify?.channels.flatMap((kind) => payload.notify!.recipients.map((userId) => ({ kind, userId }))) ?? []
        : row.recipient_id ? [{ kind: row.channel, userId: row.recipient_id }] : [];
      if (notices.length > 0) {
        const text = await lookups.text(row, payload);
        for (const n of notices) {
          inbox.push({
            tenant_id: row.tenant_id, user_id: n.userId, app_id: payload.appId ?? null, kind: n.kind,
            topic: row.topic, text, event_id: row.event_id, outbox_id: row.id, created_at: now,
          });
        }
      }
      if (row.channel !== 'change' || !hooked.has(row.tenant_id)) continue;
      for (const format of formats) {
        for (const p of await format.plan(tx, row, now)) {
          deliveries.push({
            tenant_id: row.tenant_id, app_id: p.appId, outbox_id: row.id, event_type: p.eventType, event_id: p.eventId,
            url: p.url, payload: p.payload, status: 'pending', attempts: 0, created_at: now,
            // Due at once, whatever the sandbox clock says (the dispatcher schedules on the machine's).
            next_attempt_at: 0,
          });
        }
      }
    }
    await insertInboxMessages(tx, inbox);
    await insertDeliveries(tx, deliveries);
    await markDone(tx, rows);
    return { messages: rows.length, inbox: inbox.length, deliveries: deliveries.length };
  });
}

interface NoticePayload { actorId?: string; appId?: string; partstat?: string; notify?: ChangeNotices }

/** Inbox messages one pass makes at most (beyond its first message's): each is an insert. */
const NOTICE_BUDGET = 2_000;

/** The first rows whose inbox messages fit in the budget (at least one row). */
function withinBudget(rows: readonly OutboxRow[], payloads: ReadonlyMap<OutboxRow, NoticePayload>, budget: number): OutboxRow[] {
  let made = 0;
  let taken = 0;
  for (const row of rows) {
    const notify = payloads.get(row)!.notify;
    const count = row.channel === 'change' ? (notify ? notify.channels.length * notify.recipients.length : 0) : 1;
    if (taken > 0 && made + count > budget) break;
    made += count;
    taken++;
  }
  return rows.slice(0, taken);
}

function payloadOf(row: OutboxRow): NoticePayload {
  return JSON.parse(row.payload) as NoticePayload;
}

/** Events and actors read once per pass: one change notifies many recipients. */
class Lookups {
  private readonly events = new Map<string, Promise<CalendarEvent | undefined>>();
  private readonly actorNames = new Map<string, string>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly db: Db) {}

  /** The notice's text; the recipients of one change share it, so it is made once. */
  async text(row: OutboxRow, payload: NoticePayload): Promise<string> {
    const key = `${row.topic}\u0000${row.event_id}\u0000${payload.actorId}\u0000${payload.partstat}`;
    let text = this.texts.get(key);
    if (text === undefined) this.texts.set(key, (text = await this.compose(row, payload)));
    return text;
  }

  private async compose(row: OutboxRow, payload: NoticePayload): Promise<string> {
    return noticeText({
      topic: row.topic,
      actorName: (payload.actorId && this.actorNames.get(payload.actorId)) || 'Someone',
      event: row.event_id ? await this.event(row.tenant_id, row.event_id) : undefined,
      partstat: payload.partstat,
    });
  }

  private event(tenantId: string, id: string): Promise<CalendarEvent | undefined> {
    let found = this.events.get(id);
    if (!found) this.events.set(id, (found = findEvent(this.db, tenantId, id)));
    return found;
  }

  /** Reads the names of a pass's actors in one query. */
  async names(userIds: readonly string[]): Promise<void> {
    const wanted = [...new Set(userIds)].filter((id) => id && !this.actorNames.has(id));
    for (const u of await findUsersByIds(this.db, wanted)) this.actorNames.set(u.id, u.name);
  }

}
