import { isDeepStrictEqual } from 'node:util';
import ICAL from 'ical.js';
import type { CalendarEvent, EventDetails, EventInput } from '../events/event.ts';
import { spanOf } from '../recurrence/occurrences.ts';

/**
 * The attributes of a client's VEVENT that differ from the stored event (or occurrence), as a
 * patch for patchEvent: only what changed, so a PUT that gives back what GET rendered changes
 * nothing Kalends models, and attributes only the APIs set (a location's address, a
 * reminder's method, an online meeting) are kept.
 */
export function diffInput(stored: CalendarEvent, input: EventInput, withRecurrence: boolean): Partial<EventInput> {
  const patch: Partial<EventInput> = {};
  if (stored.summary !== input.summary) patch.summary = input.summary;
  if (stored.description !== input.description) patch.description = input.description;
  if (!sameTimes(stored, input)) {
    patch.start = input.start;
    patch.end = input.end;
    patch.isAllDay = input.isAllDay;
  }
  if (withRecurrence && normalRule(stored.recurrence) !== normalRule(input.recurrence)) patch.recurrence = input.recurrence;
  const details = diffDetails(stored.details, input.details);
  if (Object.keys(details).length > 0) patch.details = details;
  return patch;
}

function sameTimes(stored: CalendarEvent, input: EventInput): boolean {
  if (isDeepStrictEqual(stored.start, input.start) && isDeepStrictEqual(stored.end, input.end)) return true;
  // A one-day all-day event stored ending on its start date (Feishu) is the same as iCalendar's next-day DTEND.
  return 'date' in stored.start && 'date' in input.start && isDeepStrictEqual(stored.start, input.start)
    && isDeepStrictEqual(spanOf(stored.start, stored.end), spanOf(input.start, input.end));
}

function normalRule(rule: string | null): string | null {
  if (rule === null) return null;
  try {
    return ICAL.Recur.fromString(rule.replace(/^RRULE:/i, '')).toString();
  } catch {
    return rule;
  }
}

function diffDetails(stored: EventDetails, given: EventDetails): EventDetails {
  const patch: EventDetails = {};
  const storedLocation = stored.location?.name ?? stored.location?.address;
  if ((storedLocation ?? '') !== (given.location?.name ?? '')) patch.location = given.location;
  const minutes = (d: EventDetails) => [...new Set((d.reminders ?? []).map((r) => r.minutes))].sort((a, b) => a - b);
  if (!isDeepStrictEqual(minutes(stored), minutes(given))) patch.reminders = given.reminders ?? [];
  if ((stored.freeBusyStatus === 'free') !== (given.freeBusyStatus === 'free')) patch.freeBusyStatus = given.freeBusyStatus ?? 'busy';
  const shown = (v: string | undefined) => (v === 'public' || v === 'private' ? v : 'default');
  if (shown(stored.visibility) !== shown(given.visibility)) patch.visibility = given.visibility ?? 'default';
  return patch;
}
