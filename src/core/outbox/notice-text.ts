import type { CalendarEvent } from '../events/event.ts';

/** What a notification needs to say: the change, who made it, the event, and the answer given. */
export interface NoticeFacts {
  topic: string;
  actorName: string;
  event: CalendarEvent | undefined;
  /** RFC 5545 PARTSTAT of an `attendee.responded` change. */
  partstat?: string;
}

const ANSWERS: Record<string, string> = { ACCEPTED: 'accepted', DECLINED: 'declined', TENTATIVE: 'tentatively accepted' };

/**
 * The text of a user notification (DingTalk reminder or work message, Feishu bot message), as
 * the platforms word their calendar cards: who did what to which event, and when it starts.
 * @example `Alice invited you to "Design review" (2026-11-23 10:00, Asia/Shanghai)`
 */
export function noticeText(facts: NoticeFacts): string {
  const title = `"${facts.event?.summary ?? 'an event'}"`;
  const when = facts.event ? ` (${startText(facts.event)})` : '';
  switch (facts.topic) {
    case 'event.created':
    case 'attendee.added': return `${facts.actorName} invited you to ${title}${when}`;
    case 'event.updated': return `${facts.actorName} changed ${title}${when}`;
    case 'event.deleted': return `${facts.actorName} cancelled ${title}${when}`;
    case 'attendee.removed': return `${facts.actorName} removed you from ${title}${when}`;
    case 'attendee.responded': return `${facts.actorName} ${ANSWERS[facts.partstat ?? ''] ?? 'answered'} ${title}${when}`;
    default: return `${facts.actorName} updated ${title}${when}`;
  }
}

/** `YYYY-MM-DD HH:mm, Zone` in the event's own time zone; all-day events give the date alone. */
function startText(event: CalendarEvent): string {
  if ('date' in event.start) return `${event.start.date}, all day`;
  const parts = formatterFor(event.start.timeZone).formatToParts(new Date(event.start.instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}, ${event.start.timeZone}`;
}

/** Formatters by time zone: making one costs far more than using it (about 1 ms here). */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
