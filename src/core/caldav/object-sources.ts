import type { CalendarEvent, PartStat } from '../events/event.ts';
import { findAttendeeUsers } from '../attendees/attendee-users.ts';
import { MAX_ATTENDEES_PER_EVENT } from '../attendees/limits.ts';
import type { Db } from '../../store/store.ts';
import { listedAttendeesOf, pageListedAttendees, type ListedAttendee } from '../../store/repositories/attendees.ts';
import { findChatsByIds, findRoomsByIds } from '../../store/repositories/directory.ts';
import { exceptionsOfMany, objectRowsOfEvents } from '../../store/repositories/caldav-objects.ts';
import type { Entry } from './collection.ts';
import type { RenderAttendee, RenderSource } from './ical-render.ts';
import { parseKept } from './kept-remainder.ts';
import { chatAddress, roomAddress, userAddress } from './addresses.ts';

/**
 * What rendering these entries needs, read with a fixed number of queries whatever their
 * number or their attendees' (exceptions, attendee rows, users through attendee-users.ts,
 * rooms, chats, the UIDs clients gave): the GET of a 5,000-attendee event is two reads of rows
 * and one of users not remembered.
 */
export async function loadSources(db: Db, entries: readonly Entry[]): Promise<Map<Entry, RenderSource>> {
  const sources = new Map<Entry, RenderSource>();
  if (entries.length === 0) return sources;
  const exceptions = await exceptionsOfMany(db, entries.filter((e) => e.master.recurrence !== null).map((e) => e.master.id));
  const byMaster = new Map<string, CalendarEvent[]>();
  for (const e of exceptions) {
    let list = byMaster.get(e.seriesMasterId!);
    if (!list) byMaster.set(e.seriesMasterId!, (list = []));
    list.push(e);
  }
  const ids = [...entries.map((e) => e.master.id), ...exceptions.filter((e) => e.deletedAt === null).map((e) => e.id)];
  const rows = ids.length === 1
    ? new Map([[ids[0]!, await pageListedAttendees(db, ids[0]!, 0, MAX_ATTENDEES_PER_EVENT)]])
    : await listedAttendeesOf(db, ids, MAX_ATTENDEES_PER_EVENT);
  const all = [...rows.values()].flat();
  const refs = (kind: string) => [...new Set(all.filter((r) => r.kind === kind).map((r) => r.ref))];
  const users = await findAttendeeUsers(db, [...new Set([...refs('user'), ...entries.map((e) => e.master.organizerId)])]);
  const rooms = new Map((await findRoomsByIds(db, refs('resource'))).map((r) => [r.id, r]));
  const chats = new Map((await findChatsByIds(db, refs('chat'))).map((c) => [c.id, c]));
  const uids = new Map<string, string>();
  const unnamed = entries.filter((e) => !e.row).map((e) => e.master.id);
  for (const r of await objectRowsOfEvents(db, unnamed)) if (!uids.has(r.event_id)) uids.set(r.event_id, r.uid);
  const render = (r: ListedAttendee): RenderAttendee => {
    const base = { optional: r.is_optional === 1, partstat: r.partstat as PartStat };
    if (r.kind === 'user') {
      const u = users.get(r.ref);
      return { ...base, address: userAddress(u), cn: u?.name ?? '', cutype: null };
    }
    if (r.kind === 'resource') {
      const room = rooms.get(r.ref);
      return { ...base, address: roomAddress(room?.room_id ?? r.ref), cn: room?.name ?? '', cutype: 'ROOM' };
    }
    if (r.kind === 'chat') {
      const chat = chats.get(r.ref);
      return { ...base, address: chatAddress(chat?.chat_id ?? r.ref), cn: chat?.name ?? '', cutype: 'GROUP' };
    }
    return { ...base, address: `mailto:${r.ref}`, cn: '', cutype: null };
  };
  const rendered = new Map<string, RenderAttendee[]>();
  for (const [id, list] of rows) rendered.set(id, list.map(render));
  for (const entry of entries) {
    const { master, row } = entry;
    const organizer = users.get(master.organizerId);
    sources.set(entry, {
      uid: row?.uid ?? uids.get(master.id) ?? master.id,
      master, exceptions: byMaster.get(master.id) ?? [], attendees: rendered,
      organizer: { address: userAddress(organizer), cn: organizer?.name ?? '' },
      kept: row ? parseKept(row.kept) : null,
    });
  }
  return sources;
}
