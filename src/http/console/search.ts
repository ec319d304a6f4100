import type { Db } from '../../store/store.ts';
import * as repo from '../../store/repositories/console.ts';
import { parseEventKey as parseDingTalkEventKey, parseId as parseDingTalkId } from '../dingtalk/ids.ts';
import { parseCalendarId as parseFeishuCalendarId, parseEventId as parseFeishuEventId } from '../feishu/ids.ts';

/** What the search box found, each list bounded. */
export interface SearchResults {
  events: repo.ConsoleEvent[];
  calendars: repo.ConsoleCalendar[];
  users: repo.ConsoleUser[];
  /** The UTC day the query named (`2026-11-23`), when it named one. */
  day: string | null;
  /** Core ids the query decoded to (from a DingTalk or Feishu id). */
  decodedIds: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const LIMIT = 100;

/**
 * Finds events, calendars and users by anything an operator may paste: a core id, a DingTalk
 * id (base64 of base64, src/http/dingtalk/ids.ts), a Feishu event id (`<uuid>_0`) or calendar id
 * (`feishu.cn_…@group.calendar.feishu.cn`), a user's unionId/openId/userId, a substring of a
 * summary or a user's name, or a day (`YYYY-MM-DD`: events whose span overlaps that UTC day).
 */
export async function searchConsole(db: Db, raw: string): Promise<SearchResults> {
  const q = raw.trim().slice(0, 200);
  const empty: SearchResults = { events: [], calendars: [], users: [], day: null, decodedIds: [] };
  if (q === '') return empty;
  const ids = coreIdsOf(q);
  const day = dayOf(q);
  const [byId, bySummary, byDay, calendarsById, calendarsBySummary, users] = await Promise.all([
    repo.findEvents(db, ids),
    repo.searchEventsBySummary(db, q, LIMIT),
    day === null ? Promise.resolve([]) : repo.eventsOverlapping(db, day, day + DAY_MS, LIMIT),
    repo.findCalendars(db, ids),
    repo.searchCalendarsBySummary(db, q, LIMIT),
    repo.searchUsers(db, q, LIMIT),
  ]);
  return {
    events: uniqueById([...byId, ...byDay, ...bySummary]).slice(0, LIMIT),
    calendars: uniqueById([...calendarsById, ...calendarsBySummary]).slice(0, LIMIT),
    users,
    day: day === null ? null : q,
    decodedIds: ids.filter((id) => id !== q.toLowerCase()),
  };
}

/** The core ids `q` may stand for, in every platform's id form. */
function coreIdsOf(q: string): string[] {
  const ids = new Set<string>();
  if (UUID.test(q)) ids.add(q.toLowerCase());
  const dingtalk = parseDingTalkId(q) ?? (parseDingTalkEventKey(q).id || null);
  if (dingtalk) ids.add(dingtalk);
  for (const parse of [(v: string) => parseFeishuEventId(v).id, parseFeishuCalendarId]) {
    try {
      const id = parse(q);
      if (UUID.test(id)) ids.add(id);
    } catch {
      // Not of that platform's form.
    }
  }
  return [...ids];
}

/** Start of the UTC day `q` names (ms), or null. */
function dayOf(q: string): number | null {
  const m = DAY.exec(q);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().startsWith(q) ? ms : null;
}

function uniqueById<T extends { id: string }>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && seen.add(r.id));
}
