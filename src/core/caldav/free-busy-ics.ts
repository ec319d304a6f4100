import type { Db } from '../../store/store.ts';

/**
 * A user's busy time in [from, to) (ms) as an iCalendar VFREEBUSY (RFC 5545 §3.6.4; the answer
 * of a free-busy-query REPORT, RFC 4791 §7.10, and of an RFC 6638 §5 schedule-outbox POST):
 * FREEBUSY periods in UTC with FBTYPE BUSY or BUSY-TENTATIVE, as userFreeBusy
 * (src/core/schedule/free-busy.ts) computes them for the APIs.
 * @param organizer / attendee optional `mailto:` values for the VFREEBUSY (iTIP REPLY).
 * @returns the VCALENDAR text (CRLF).
 */
export async function freeBusyCalendar(
  db: Db, tenantId: string, userId: string, from: number, to: number, now: number,
  people: { organizer?: string; attendee?: string } = {},
): Promise<string> {
  void db; void tenantId; void userId; void from; void to; void now; void people;
  throw new Error('freeBusyCalendar: not implemented yet');
}
