import type { FastifyReply } from 'fastify';
import { queryCalendarObjects } from '../../../core/caldav/calendar-query.ts';
import type { Db } from '../../../store/store.ts';
import type { Collection } from '../collections.ts';
import type { CaldavActor } from '../context.ts';
import { propRequestOf, propResponse, sendMultistatus } from '../multistatus.ts';
import { describeObject } from '../properties.ts';
import type { XmlElement } from '../xml.ts';
import { dataOptionsOf, queryFilterOf } from './filters.ts';

/** calendar-query (RFC 4791 §7.8): the objects matching the filter, with the properties asked for (calendar-data as expand / limit-recurrence-set say). */
export async function calendarQuery(reply: FastifyReply, db: Db, actor: CaldavActor, c: Collection, report: XmlElement): Promise<FastifyReply> {
  const asked = propRequestOf(report);
  const objects = await queryCalendarObjects(db, actor, c.ref, queryFilterOf(report), dataOptionsOf(report));
  return sendMultistatus(reply, objects.map((o) => propResponse(describeObject(actor, c, o, o.ics), asked)));
}
