import type { FastifyReply } from 'fastify';
import { getCalendarObjects } from '../../../core/caldav/get-object.ts';
import type { Db } from '../../../store/store.ts';
import type { Collection } from '../collections.ts';
import type { CaldavActor } from '../context.ts';
import { propRequestOf, propResponse, sendMultistatus, statusResponse } from '../multistatus.ts';
import { nameInCollection, paths } from '../paths.ts';
import { describeObject } from '../properties.ts';
import { NS, childrenOf, type XmlElement, type XmlNode } from '../xml.ts';
import { dataOptionsOf } from './filters.ts';

/**
 * calendar-multiget (RFC 4791 §7.9): the objects the DAV:hrefs name, in order; an href outside
 * the collection, or naming nothing, is a 404 response.
 */
export async function calendarMultiget(reply: FastifyReply, db: Db, actor: CaldavActor, c: Collection, report: XmlElement): Promise<FastifyReply> {
  const asked = propRequestOf(report);
  const collectionPath = paths.calendar(actor.userId, c.segment);
  const hrefs = childrenOf(report, NS.dav, 'href').map((h) => h.text.trim());
  const names = hrefs.map((h) => nameInCollection(h, collectionPath));
  const wanted = names.filter((n): n is string => n !== undefined);
  const found = new Map((await getCalendarObjects(db, actor, c.ref, wanted, dataOptionsOf(report))).map((o) => [o.name, o]));
  const responses: XmlNode[] = hrefs.map((h, i) => {
    const object = names[i] === undefined ? undefined : found.get(names[i]!);
    return !object || 'missing' in object ? statusResponse(h, 404) : propResponse(describeObject(actor, c, object, object.ics), asked);
  });
  return sendMultistatus(reply, responses);
}
