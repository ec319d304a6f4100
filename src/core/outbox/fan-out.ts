import { systemClock } from '../clock.ts';
import type { Store, Db } from '../../store/store.ts';
import { hasPending, lockPending, markDone, payloadOf, stillPending, type OutboxHeader, type OutboxRow } from '../../store/repositories/outbox.ts';
import { hasRowLocks } from '../../store/row-lock.ts';
import { insertInboxMessages, type NewInboxMessage } from '../../store/repositories/inbox.ts';
import { insertClaimedDeliveries, insertDeliveries, type DeliveryRow, type PlannedDelivery } from '../../store/repositories/deliveries.ts';
import { findUsersByIds, tenantsWithCallbacks } from '../../store/repositories/directory.ts';
import { findEvent } from '../../store/repositories/events.ts';
import type { CalendarEvent } from '../events/event.ts';
import { PassMemo, type CallbackFormat } from './callback-format.ts';
import type { ChangeNotices } from './notify.ts';
import { noticeText } from './notice-text.ts';

/**
 * The long connections of the process that runs the fan-out. The stream deliveries of apps it
 * holds a connection of are inserted claimed by it and handed to it after the commit, instead
 * of being inserted due and claimed by it a moment later: a third write of every push (and the
 * claim's read) less, and no wait for its next claim. Those of other apps wait for the process
 * that holds one (`StreamSender`).
 */
export interface LocalPushes {
  /** Whether an app has an open long connection in this process. */
  holds(appId: string): boolean;
  /** How long a claim made for it lasts (ms, machine time). */
  readonly leaseMs: number;
  /** Pushes deliveries claimed for it; called after the transaction that made them committed. */
  take(deliveries: readonly DeliveryRow[]): void;
}

/** What one fan-out pass did. */
export interface FanOutResult {
  /** Outbox messages handled. */
  messages: number;
  inbox: number;
  deliveries: number;
}

/**
 * Turns pending outbox messages into what they cause: each change's notices
 * (`push`, `chat`, `bot`, named in its payload's `notify`) into their recipients' inboxes, and
 * the change into HTTP callbacks to the apps each platform's format picks (sent later, with
 * retries), written in one transaction. A crash leaves the messages pending.
 * - PostgreSQL: the pass locks its messages in that transaction; concurrent dispatchers skip
 *   each other's rows.
 * - SQLite: the pass is planned by reading, outside the transaction, which takes the store's one
 *   write lock only to write the plan, for the messages still pending then (a dispatcher of
 *   another process may have taken some meanwhile). Planned inside it, a pass of a few hundred
 *   changes held the lock for milliseconds, while the API's writes waited.
 * Notice rows of their own (one per recipient and channel, as changes were
 * recorded before they carried `notify`) still become inbox messages.
 * A pass stops taking messages once it has made `noticeBudget` inbox messages (a change to an
 * event of 5,000 attendees told by two channels makes 10,000); it always takes one, and those
 * it did not take stay pending for the next pass.
 * @param limit outbox messages per pass.
 * @param local this process's long connections, if it holds any: the stream pushes of their apps
 *   are inserted claimed and handed to them once the pass has committed (`LocalPushes`).
 */
export async function fanOut(
  store: Store, formats: readonly CallbackFormat[], now: number, limit: number, noticeBudget = NOTICE_BUDGET, local?: LocalPushes,
): Promise<FanOutResult> {
  if (!(await hasPending(store.db))) return NOTHING;
  let handed: DeliveryRow[] = [];
  let result: FanOutResult;
  if (hasRowLocks(store.db)) {
    // PostgreSQL: the pass's messages are locked in its transaction; other dispatchers skip them.
    result = await store.transaction(async (tx) => {
      const locked = await lockPending(tx, limit);
      const plan = await planPass(tx, formats, locked, now, noticeBudget, local);
      handed = await applyPlan(tx, plan);
      return resultOf(plan);
    });
  } else {
    // SQLite: planned outside the write transaction, which holds the store's one write lock
    // (the API's writes wait for it), then applied to the messages still pending when it starts:
    // another process's dispatcher may have taken some meanwhile.
    const plan = await planPass(store.db, formats, await lockPending(store.db, limit), now, noticeBudget, local);
    if (plan.taken.length === 0) return NOTHING;
    result = await store.transaction(async (tx) => {
      const kept = await keepPending(tx, plan);
      handed = await applyPlan(tx, kept);
      return resultOf(kept);
    });
  }
  if (handed.length > 0) local!.take(handed);
  return result;
}

const NOTHING: FanOutResult = { messages: 0, inbox: 0, deliveries: 0 };

/** What a pass writes for the messages it takes. */
interface Plan {
  taken: OutboxRow[];
  inbox: NewInboxMessage[];
  /** Due at once, for whichever process sends them. */
  deliveries: PlannedDelivery[];
  /** Stream pushes claimed by this process (`LocalPushes`). */
  claimed: PlannedDelivery[];
  /** How long their claims last (ms), counted when the plan is written. */
  leaseMs: number;
}

function resultOf(plan: Plan): FanOutResult {
  return { messages: plan.taken.length, inbox: plan.inbox.length, deliveries: plan.deliveries.length + plan.claimed.length };
}

/** Plans the inbox messages and deliveries of the messages a pass takes (reads only). */
async function planPass(
  db: Db, formats: readonly CallbackFormat[], locked: readonly OutboxHeader[], now: number, noticeBudget: number, local?: LocalPushes,
): Promise<Plan> {
  const inbox: NewInboxMessage[] = [];
  const deliveries: PlannedDelivery[] = [];
  const claimed: PlannedDelivery[] = [];
  if (locked.length === 0) return { taken: [], inbox, deliveries, claimed, leaseMs: 0 };
  const pass = new PassMemo();
  const taken = await takeWithinBudget(db, locked, noticeBudget, pass);
  const lookups = new Lookups(db, pass);
  await lookups.names(taken.filter(({ row, payload }) => row.channel !== 'change' || payload.notify).map(({ payload }) => payload.actorId ?? ''));
  // Planning a callback costs queries; only tenants with an app that registered a URL need it.
  const hooked = await tenantsWithCallbacks(db);
  const changes = taken.filter(({ row }) => row.channel === 'change' && hooked.has(row.tenant_id)).map(({ row }) => row);
  if (changes.length > 0) for (const format of formats) await format.prepare?.(db, changes, pass);
  for (const { row, payload } of taken) {
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
      for (const p of await format.plan(db, row, now, pass)) {
        const delivery: PlannedDelivery = {
          tenant_id: row.tenant_id, app_id: p.appId, outbox_id: row.id, event_type: p.eventType, event_id: p.eventId,
          url: p.url, transport: p.transport, payload: p.payload, status: 'pending', attempts: 0, created_at: now,
          // Due at once, on the machine's clock (the dispatcher schedules on it, whatever the
          // sandbox clock says): a stream push unclaimed for long is known by this time.
          next_attempt_at: systemClock.now(),
        };
        if (p.transport === 'stream' && local?.holds(p.appId)) {
          // Claimed by this process, its first attempt counted, leased until the push is recorded
          // (from when the plan is written: `applyPlan`).
          delivery.status = 'sending';
          delivery.attempts = 1;
          claimed.push(delivery);
        } else {
          deliveries.push(delivery);
        }
      }
    }
  }
  return { taken: taken.map((t) => t.row), inbox, deliveries, claimed, leaseMs: local?.leaseMs ?? 0 };
}

/** Writes a plan and settles its messages. @returns the deliveries claimed for this process, with their ids. */
async function applyPlan(tx: Db, plan: Plan): Promise<DeliveryRow[]> {
  // A plan may wait for SQLite's write lock: its claims' leases start now, not when it was made.
  const leasedUntil = systemClock.now() + plan.leaseMs;
  for (const delivery of plan.claimed) delivery.next_attempt_at = leasedUntil;
  await insertInboxMessages(tx, plan.inbox);
  await insertDeliveries(tx, plan.deliveries);
  const handed = await insertClaimedDeliveries(tx, plan.claimed);
  await markDone(tx, plan.taken);
  return handed;
}

/** The part of a plan whose messages are still pending (read in the write transaction that applies it). */
async function keepPending(tx: Db, plan: Plan): Promise<Plan> {
  const pending = await stillPending(tx, plan.taken.map((r) => r.id));
  if (pending.size === plan.taken.length) return plan;
  const mine = <T extends { outbox_id: number | null }>(rows: T[]) => rows.filter((r) => r.outbox_id !== null && pending.has(r.outbox_id));
  return {
    taken: plan.taken.filter((r) => pending.has(r.id)), inbox: mine(plan.inbox), deliveries: mine(plan.deliveries), claimed: mine(plan.claimed),
    leaseMs: plan.leaseMs,
  };
}

interface NoticePayload { actorId?: string; appId?: string; partstat?: string; notify?: ChangeNotices }

/** Inbox messages one pass makes at most (beyond its first message's): each is an insert. */
const NOTICE_BUDGET = 2_000;

/** A message a pass takes, with its payload read and parsed. */
interface Taken {
  row: OutboxRow;
  payload: NoticePayload;
}

/**
 * The first messages whose inbox messages fit in the budget (at least one), each with its
 * payload. Payloads are read and parsed one message at a time, so those left for a later pass
 * cost this one nothing: a pass that parsed every message it had locked (up to `limit`) to take
 * four of them, each a removal of 500 told by reminder, parsed the same payloads again and
 * again while a flood of such calls queued (bench: ~10,000 parses, ~390 MB of JSON, in 4 s).
 */
async function takeWithinBudget(tx: Db, headers: readonly OutboxHeader[], budget: number, pass: PassMemo): Promise<Taken[]> {
  const taken: Taken[] = [];
  let made = 0;
  for (const header of headers) {
    const row: OutboxRow = { ...header, payload: await payloadOf(tx, header.id) };
    const payload = pass.payloadOf<NoticePayload>(row);
    const notify = payload.notify;
    const count = row.channel === 'change' ? (notify ? notify.channels.length * notify.recipients.length : 0) : 1;
    if (taken.length > 0 && made + count > budget) break;
    made += count;
    taken.push({ row, payload });
  }
  return taken;
}

/** Events and actors read once per pass: one change notifies many recipients. */
class Lookups {
  private readonly actorNames = new Map<string, string>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly db: Db, private readonly pass: PassMemo) {}

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

  /** The event as the pass reads it (the callback formats read it under the same key). */
  private event(tenantId: string, id: string): Promise<CalendarEvent | undefined> {
    return this.pass.remember(`event ${id}`, () => findEvent(this.db, tenantId, id));
  }

  /** Reads the names of a pass's actors in one query. */
  async names(userIds: readonly string[]): Promise<void> {
    const wanted = [...new Set(userIds)].filter((id) => id && !this.actorNames.has(id));
    for (const u of await findUsersByIds(this.db, wanted)) this.actorNames.set(u.id, u.name);
  }

}
