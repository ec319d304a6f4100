import { getCalendarObject, getCalendarObjects } from '../../../core/caldav/get-object.ts';
import { listCalendarObjects } from '../../../core/caldav/list-objects.ts';
import { getInboxItem, listInbox } from '../../../core/caldav/schedule-inbox.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { findCollection, listCollections, positionOf, requireOwnTree } from '../collections.ts';
import { actorOf, depthOf, targetOf, xmlBodyOf } from '../context.ts';
import { propRequestOf, propResponse, sendMultistatus, type PropRequest } from '../multistatus.ts';
import { CALENDAR_DATA, describeInboxItem, describeBox, describeCalendar, describeHome, describeObject, describeRoot, type DescribedResource } from '../properties.ts';
import { NS, clark } from '../xml.ts';
import { URLS } from '../paths.ts';

function wantsCalendarData(request: PropRequest): boolean {
  return request.kind === 'prop' && request.names.some((n) => clark(n.ns, n.name) === CALENDAR_DATA);
}

/**
 * PROPFIND (RFC 4918 §9.1) with Depth 0 or 1 on the root, the user's principal/home (its
 * calendars, inbox and outbox as members), a calendar (its objects as members) or an object.
 * Properties: properties.ts; unknown ones are answered in a 404 propstat.
 */
export function registerPropfind(app: HttpApp, deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: 'PROPFIND', url,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const target = targetOf(request);
        const depth = depthOf(request, 1);
        const asked = propRequestOf(xmlBodyOf(request, NS.dav, 'propfind', true));
        const db = deps.store.db;
        const found: DescribedResource[] = [];
        if (target.kind === 'root') {
          found.push(describeRoot(actor));
          if (depth === 1) found.push(describeHome(actor));
        } else if (target.kind === 'home') {
          requireOwnTree(actor, target.user);
          found.push(describeHome(actor));
          if (depth === 1) {
            for (const c of await listCollections(db, actor)) found.push(describeCalendar(actor, c, await positionOf(db, actor, c)));
            found.push(describeBox(actor, 'inbox'), describeBox(actor, 'outbox'));
          }
        } else if (target.kind === 'inbox' || target.kind === 'outbox') {
          requireOwnTree(actor, target.user);
          found.push(describeBox(actor, target.kind));
          if (depth === 1 && target.kind === 'inbox') {
            for (const item of await listInbox(db, actor)) {
              found.push(describeInboxItem(actor, item, wantsCalendarData(asked) ? (await getInboxItem(db, actor, item.name)).ics : undefined));
            }
          }
        } else if (target.kind === 'inboxItem') {
          requireOwnTree(actor, target.user);
          const item = await getInboxItem(db, actor, target.name);
          found.push(describeInboxItem(actor, item, wantsCalendarData(asked) ? item.ics : undefined));
        } else if (target.kind === 'calendar') {
          requireOwnTree(actor, target.user);
          const c = await findCollection(db, actor, target.segment);
          found.push(describeCalendar(actor, c, await positionOf(db, actor, c)));
          if (depth === 1) {
            const objects = await listCalendarObjects(db, actor, c.ref);
            if (wantsCalendarData(asked)) {
              for (const o of await getCalendarObjects(db, actor, c.ref, objects.map((x) => x.name))) {
                if (!('missing' in o)) found.push(describeObject(actor, c, o, o.ics));
              }
            } else {
              for (const o of objects) found.push(describeObject(actor, c, o));
            }
          }
        } else {
          requireOwnTree(actor, target.user);
          const c = await findCollection(db, actor, target.segment);
          const object = await getCalendarObject(db, actor, c.ref, target.name);
          found.push(describeObject(actor, c, object, wantsCalendarData(asked) ? object.ics : undefined));
        }
        return sendMultistatus(reply, found.map((r) => propResponse(r, asked)));
      },
    });
  }
}
