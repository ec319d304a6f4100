import type { CalendarEvent } from '../events/event.ts';
import { formatZoned } from '../time/zoned.ts';

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
  const local = formatZoned(event.start.instant, event.start.timeZone); // 2026-11-23T10:00:00+08:00
  return `${local.slice(0, 10)} ${local.slice(11, 16)}, ${event.start.timeZone}`;
}
