import type { FastifyReply } from 'fastify';
import { freeBusyCalendar } from '../../../core/caldav/free-busy-ics.ts';
import type { CalendarView } from '../../../core/calendars/manage-calendars.ts';
import { fail } from '../../../core/errors.ts';
import type { Db } from '../../../store/store.ts';
import type { CaldavActor } from '../context.ts';
import { PreconditionError } from '../errors.ts';
import { NS, child, type XmlElement } from '../xml.ts';
import { timeRangeOf } from './filters.ts';

/**
 * free-busy-query (RFC 4791 §7.10) on a calendar: the busy time of its owner in the time range,
 * as a VFREEBUSY (200, text/calendar). Takes the read-free-busy privilege (a free/busy share is enough).
 */
export async function freeBusyQuery(reply: FastifyReply, db: Db, actor: CaldavActor, view: CalendarView, report: XmlElement, now: number): Promise<FastifyReply> {
  const range = timeRangeOf(child(report, NS.caldav, 'time-range'));
  if (range?.start === undefined || range.end === undefined) throw new PreconditionError(403, NS.caldav, 'valid-filter', 'free-busy-query needs a time-range with start and end');
  const owner = view.row.owner_user_id ?? fail('CALENDAR_TYPE_INVALID', 'this calendar has no owner whose free/busy could be read');
  const ics = await freeBusyCalendar(db, actor.tenantId, owner, range.start, range.end, now);
  return reply.code(200).type('text/calendar; charset=utf-8').send(ics);
}
