import { getCalendarObject } from '../../../core/caldav/get-object.ts';
import { getInboxItem } from '../../../core/caldav/schedule-inbox.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { calendarRefOf, requireOwnTree } from '../collections.ts';
import { actorOf, targetOf } from '../context.ts';
import { URLS } from '../paths.ts';

/**
 * GET and HEAD (RFC 4791 §5.3.4 …): a calendar object, or an iTIP message of the schedule inbox
 * (RFC 6638 §4), as iCalendar with its `ETag`; a
 * collection answers a line of text (a browser's visit), its members are read with PROPFIND/REPORT.
 */
export function registerGet(app: HttpApp, deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: ['GET', 'HEAD'], url,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const target = targetOf(request);
        if (target.kind === 'inboxItem') {
          requireOwnTree(actor, target.user);
          const item = await getInboxItem(deps.store.db, actor, target.name);
          return reply.header('ETag', item.etag).type('text/calendar; charset=utf-8').send(item.ics);
        }
        if (target.kind !== 'object') {
          return reply.type('text/plain; charset=utf-8').send('Kalends CalDAV: point a CalDAV client at this address.\n');
        }
        requireOwnTree(actor, target.user);
        // getCalendarObject checks the user's access to the calendar (reader or more).
        const object = await getCalendarObject(deps.store.db, actor, await calendarRefOf(deps.store.db, actor, target.segment), target.name);
        // The rendering's UTF-8 bytes, made once with it: a large object is not encoded per GET.
        return reply.header('ETag', object.etag).type('text/calendar; charset=utf-8').send(object.bytes);
      },
    });
  }
}
