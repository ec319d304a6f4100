import type { CalendarEvent, PartStat } from '../events/event.ts';
import type { Db } from '../../store/store.ts';
import { DEFAULT_TIME_ZONE } from '../calendars/primary-calendar.ts';
import { findCalendar, findPrimaryCalendar } from '../../store/repositories/calendars.ts';
import { queryEvents } from '../../store/repositories/events.ts';
import { cancelledOccurrencesOfRoom } from '../../store/repositories/cancelled-occurrences.ts';
import { expandStored, occurrenceKey } from '../recurrence/window.ts';
import { overlaps, spanOf } from '../recurrence/occurrences.ts';
import { roomFreeBusy, userFreeBusy, type BusyStatus } from './free-busy.ts';

/** Most stored events (single events, masters, exceptions, deleted ones) one view reads. */
const MAX_STORED = 50_000;

/**
 * What one item of a calendar view is: a single event, an occurrence expanded from its series'
 * rule (not stored), a stored exception (a changed occurrence, RFC 5545 RECURRENCE-ID), or a
 * cancelled occurrence (a deleted exception, RFC 5545 EXDATE).
 */
export type ViewItemKind = 'single' | 'occurrence' | 'exception' | 'cancelled';

export interface ViewItem {
  event: CalendarEvent;
  kind: ViewItemKind;
  /** [start, end) in ms (an all-day event: whole UTC days, as spanOf). */
  start: number;
  end: number;
  /**
   * How free/busy reports this time (userFreeBusy with free events, roomFreeBusy): null when it
   * takes none (a declined invitation, a cancelled occurrence or event).
   */
  busy: BusyStatus | null;
  /** The person's answer or the room's booking, as free/busy has it; null when busy is. */
  partstat: PartStat | null;
}

/** Picks the window [from, to) (ms) once the calendar's time zone is known (a week there, say). */
export type WindowIn = (timeZone: string) => { from: number; to: number };

/** A window of one user's or one room's calendar, in the calendar's own time zone. */
export interface CalendarView {
  from: number;
  to: number;
  /** The calendar shown (a user's primary, a room's resource calendar); null when there is none. */
  calendarId: string | null;
  /** Its IANA time zone (the calendar row's `time_zone`; the default when there is no calendar). */
  timeZone: string;
  /** In start order; cancelled occurrences among them. */
  items: ViewItem[];
}

/**
 * A user's calendar in the window `windowIn` picks in its time zone: every single event and occurrence on their primary
 * calendar or that they are invited to (as occurrencesIn, series expanded, exceptions in place
 * of their occurrences), plus the series' occurrences cancelled in the window. Each item's
 * `busy` is what userFreeBusy (with free events) reports for it, so a view and a free/busy
 * answer never disagree.
 */
export async function userCalendarView(db: Db, tenantId: string, userId: string, windowIn: WindowIn): Promise<CalendarView> {
  const primary = await findPrimaryCalendar(db, userId);
  if (!primary) return { ...windowIn(DEFAULT_TIME_ZONE), calendarId: null, timeZone: DEFAULT_TIME_ZONE, items: [] };
  const { from, to } = windowIn(primary.time_zone);
  const stored = await queryEvents(db, {
    tenantId, calendarId: primary.id, attendeeUserId: userId, from, to, includeDeleted: true, changedAfter: null, after: null, limit: MAX_STORED,
  });
  const live = stored.filter((e) => e.deletedAt === null);
  const liveIds = new Set(live.map((e) => e.id));
  const cancelled = stored.filter((e) => e.deletedAt !== null && e.seriesMasterId !== null && liveIds.has(e.seriesMasterId) && overlaps(e, from, to, false));
  const [occurrences, busy] = await Promise.all([
    expandStored(db, live, from, to, false),
    userFreeBusy(db, tenantId, userId, from, to, { includeFree: true }),
  ]);
  return { from, to, calendarId: primary.id, timeZone: primary.time_zone, items: assemble(occurrences, cancelled, busy) };
}

/**
 * A meeting room's calendar in the window `windowIn` picks in its time zone: the occurrences it is booked for, as
 * roomFreeBusy reports them (accepted BUSY, awaiting approval TENTATIVE), plus the cancelled
 * occurrences of the series it is booked on.
 * @param room the directory row: internal id (the `resource` attendee ref), tenant, calendar.
 */
export async function roomCalendarView(db: Db, room: { id: string; tenant_id: string; calendar_id: string | null }, windowIn: WindowIn): Promise<CalendarView> {
  const calendar = room.calendar_id === null ? undefined : await findCalendar(db, room.tenant_id, room.calendar_id);
  const timeZone = calendar?.time_zone ?? DEFAULT_TIME_ZONE;
  const { from, to } = windowIn(timeZone);
  const [busy, cancelled] = await Promise.all([
    roomFreeBusy(db, room.tenant_id, room.id, from, to),
    cancelledOccurrencesOfRoom(db, room.tenant_id, room.id, from, to),
  ]);
  return {
    from, to, calendarId: calendar?.id ?? null, timeZone,
    items: assemble(busy.map((b) => b.event), cancelled, busy),
  };
}

function assemble(occurrences: readonly CalendarEvent[], cancelled: readonly CalendarEvent[], busy: ReadonlyArray<{ status: BusyStatus; partstat: PartStat; event: Pick<CalendarEvent, 'id' | 'seriesMasterId' | 'originalStart'> }>): ViewItem[] {
  const byKey = new Map(busy.map((b) => [occurrenceKey(b.event), b]));
  const items: ViewItem[] = occurrences.map((event) => {
    const taken = byKey.get(occurrenceKey(event));
    return { event, kind: kindOf(event), ...spanOf(event.start, event.end), busy: taken?.status ?? null, partstat: taken?.partstat ?? null };
  });
  for (const event of cancelled) items.push({ event, kind: 'cancelled', ...spanOf(event.start, event.end), busy: null, partstat: null });
  return items.sort((a, b) => a.start - b.start || a.end - b.end);
}

function kindOf(event: CalendarEvent): ViewItemKind {
  if (event.seriesMasterId === null) return 'single';
  return event.expanded ? 'occurrence' : 'exception';
}
