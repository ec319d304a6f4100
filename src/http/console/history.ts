import type { ConsoleOutboxRow } from '../../store/repositories/console.ts';
import { partstatWord } from './format.ts';

/** One change of an event as the history table shows it. */
export interface HistoryEntry {
  id: number;
  at: number;
  topic: string;
  actorId: string | null;
  /** Internal id of the app that made the change. */
  appId: string | null;
  platform: string | null;
  /** The change's facts in words (who was added, the answer given…). */
  details: string;
}

interface ChangePayload {
  actorId?: string;
  appId?: string;
  platform?: string;
  added?: Array<{ kind: string; ref: string }>;
  removed?: { users?: string[]; chats?: string[]; rooms?: string[]; emails?: string[] };
  partstat?: string;
  /** Event changes: the attendees (users) it concerned then. */
  users?: string[];
  /** Whom the change notified, by which channels. */
  notify?: { channels: string[]; recipients: string[] };
  /** DingTalk transferEvent: the old and new organizer, and whether the old one left. */
  transfer?: { from: string; to: string; exit: boolean };
  [key: string]: unknown;
}

function parse(text: string): ChangePayload {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as ChangePayload) : {};
  } catch {
    return {};
  }
}

/** Refs (`kind`, internal id) a change names, so their names can be read in one pass. */
export function historyRefs(rows: readonly ConsoleOutboxRow[]): Array<{ kind: string; ref: string }> {
  const refs: Array<{ kind: string; ref: string }> = [];
  for (const row of rows) {
    const p = parse(row.payload);
    if (p.actorId) refs.push({ kind: 'user', ref: p.actorId });
    if (p.transfer) refs.push({ kind: 'user', ref: p.transfer.from }, { kind: 'user', ref: p.transfer.to });
    if (p.notify?.recipients.length === 1) refs.push({ kind: 'user', ref: p.notify.recipients[0]! });
    for (const a of p.added ?? []) refs.push(a);
    for (const ref of p.removed?.users ?? []) refs.push({ kind: 'user', ref });
    for (const ref of p.removed?.chats ?? []) refs.push({ kind: 'chat', ref });
    for (const ref of p.removed?.rooms ?? []) refs.push({ kind: 'resource', ref });
  }
  return refs;
}

/**
 * The `change` outbox rows of an event (written by core/outbox/notify.ts `recordChange`) as
 * history entries: who (`actorId`), through which app, and the change's facts in words.
 */
export function toHistory(rows: readonly ConsoleOutboxRow[], names: ReadonlyMap<string, string>): HistoryEntry[] {
  const name = (id: string) => names.get(id) ?? id;
  return rows.map((row) => {
    const { actorId, appId, platform, added, removed, partstat, users, notify, transfer, ...rest } = parse(row.payload);
    const facts: string[] = [];
    if (transfer) facts.push(`transferred from ${name(transfer.from)} to ${name(transfer.to)}${transfer.exit ? ` (${name(transfer.from)} left)` : ''}`);
    if (users) facts.push(`${users.length} user attendee${users.length === 1 ? '' : 's'} concerned`);
    if (added?.length) facts.push(`added ${added.map((a) => `${a.kind === 'third_party' ? a.ref : name(a.ref)} (${a.kind})`).join(', ')}`);
    if (removed) {
      const gone = [...(removed.users ?? []).map(name), ...(removed.chats ?? []).map(name), ...(removed.rooms ?? []).map(name), ...(removed.emails ?? [])];
      facts.push(`removed ${gone.join(', ') || '(nobody)'}`);
    }
    if (partstat) facts.push(`answered ${partstatWord(partstat)}`);
    if (notify) {
      const who = notify.recipients.length === 1 ? name(notify.recipients[0]!) : `${notify.recipients.length} users`;
      facts.push(`notified ${who} by ${notify.channels.join(', ')}`);
    }
    if (Object.keys(rest).length > 0) facts.push(JSON.stringify(rest));
    return {
      id: row.id, at: Number(row.created_at), topic: row.topic, actorId: actorId ?? null, appId: appId ?? null,
      platform: platform ?? null, details: facts.join('; '),
    };
  });
}
