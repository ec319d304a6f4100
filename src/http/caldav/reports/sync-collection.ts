import type { FastifyReply } from 'fastify';
import { getCalendarObjects } from '../../../core/caldav/get-object.ts';
import { changedCalendarObjects } from '../../../core/caldav/list-objects.ts';
import type { Db } from '../../../store/store.ts';
import type { Collection } from '../collections.ts';
import type { CaldavActor } from '../context.ts';
import { PreconditionError } from '../errors.ts';
import { propRequestOf, propResponse, sendMultistatus, statusResponse } from '../multistatus.ts';
import { paths } from '../paths.ts';
import { CALENDAR_DATA, describeObject } from '../properties.ts';
import { syncToken, tokenPosition } from '../sync-token.ts';
import { NS, child, clark, el, type XmlElement } from '../xml.ts';

/**
 * sync-collection (RFC 6578 §3.2) on a calendar: with an empty token every object; with a
 * token, the objects changed since (with the properties asked for) and the ones removed
 * (404 responses, §3.5.2), and a new DAV:sync-token. A token not given by this collection, or
 * ahead of it, is 403 DAV:valid-sync-token (§3.2). Sync-level 1 (a calendar holds no collections).
 */
export async function syncCollection(reply: FastifyReply, db: Db, actor: CaldavActor, c: Collection, report: XmlElement): Promise<FastifyReply> {
  const given = child(report, NS.dav, 'sync-token')?.text.trim() ?? '';
  const after = given === '' ? 0 : tokenPosition(given, c.view.row.id);
  const invalid = () => new PreconditionError(403, NS.dav, 'valid-sync-token', 'this sync-token was not given by this collection, or has expired: sync again without one');
  if (after === undefined) throw invalid();
  const { changed, removed, position } = await changedCalendarObjects(db, actor, c.ref, after);
  if (after > position) throw invalid();
  const asked = propRequestOf(report);
  const withData = asked.kind === 'prop' && asked.names.some((n) => clark(n.ns, n.name) === CALENDAR_DATA);
  const bodies = withData ? new Map((await getCalendarObjects(db, actor, c.ref, changed.map((o) => o.name))).map((o) => [o.name, o])) : undefined;
  const responses = changed.map((o) => {
    const full = bodies?.get(o.name);
    return propResponse(describeObject(actor, c, o, full && !('missing' in full) ? full.ics : undefined), asked);
  });
  for (const name of removed) responses.push(statusResponse(paths.object(actor.userId, c.segment, name), 404));
  return sendMultistatus(reply, responses, [el(NS.dav, 'sync-token', syncToken(c.view.row.id, position))]);
}
