/**
 * The one time model of Kalends: an all-day date, or an instant with the time zone it was
 * given in (an IANA name such as `Asia/Shanghai`, or a fixed offset `+08:00` when the client
 * gave none).
 */
export type EventTime = { date: string } | { instant: number; timeZone: string };

/** RFC 5545 §3.2.12 participation status, the core's name for an invitation response. */
export type PartStat = 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';

/** Event attributes beyond time and title; each dialect maps its own fields onto these. */
export interface EventDetails {
  location?: { name?: string; address?: string; latitude?: number; longitude?: number };
  /** Minutes before the start; DingTalk adds a `method` such as `dingtalk`. */
  reminders?: Array<{ minutes: number; method?: string }>;
  onlineMeeting?: { type: string; conferenceId?: string; url?: string };
  /** `busy` or `free`. */
  freeBusyStatus?: string;
  richTextDescription?: string;
  /** What attendees may do: `none`, `can_see_others`, `can_invite_others`, `can_modify_event`. */
  attendeeAbility?: string;
  /** `default`, `public` or `private`. */
  visibility?: string;
  /** Display colour as Feishu writes it: a signed 32-bit RGB integer (-1 for the calendar's). */
  color?: number;
  /** Attributes only one platform has, kept to be returned as given. */
  dingtalk?: Record<string, unknown>;
  feishu?: Record<string, unknown>;
}

/** The writable attributes of an event, as a core function receives them. */
export interface EventInput {
  summary: string;
  description: string;
  isAllDay: boolean;
  start: EventTime;
  end: EventTime;
  /** RFC 5545 RRULE value without the `RRULE:` prefix. */
  recurrence: string | null;
  details: EventDetails;
}

/** A stored event. Times are ms since the Unix epoch. */
export interface CalendarEvent extends EventInput {
  id: string;
  tenantId: string;
  calendarId: string;
  organizerId: string;
  /** `confirmed`, `tentative` or `cancelled` (deleted events read as cancelled). */
  status: string;
  /** Span the event or its whole series covers (ms), for time-range queries. */
  range: { start: number; end: number };
  attendeeCount: number;
  changeSeq: number;
  /**
   * For one occurrence of a recurring series (an exception, or an occurrence expanded from the
   * master): the master's id; null for a single event and for a series' master.
   */
  seriesMasterId: string | null;
  /** With seriesMasterId: the occurrence's start as the rule produced it (ms), its RECURRENCE-ID. */
  originalStart: number | null;
  /** An occurrence expanded from its master rather than stored: its `id` is the master's. */
  expanded?: true;
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
}

/**
 * An event as a request names it: a stored event by id, or one occurrence of a recurring series
 * by its master's id and original start (ms) — the dialects' instance ids (DingTalk's encoded
 * id, Feishu's `<uid>_<seconds>`) both decode to this.
 */
export interface EventKey {
  id: string;
  /** The occurrence's original start (ms); null names the event (or the whole series) itself. */
  originalStart: number | null;
}
