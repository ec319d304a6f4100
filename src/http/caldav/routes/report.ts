import { viewCalendar } from '../../../core/calendars/manage-calendars.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { calendarRefOf, findCollection, requireOwnTree } from '../collections.ts';
import { actorOf, targetOf, xmlBody } from '../context.ts';
import { PreconditionError } from '../errors.ts';
import { URLS } from '../paths.ts';
import { NS } from '../xml.ts';
import { calendarMultiget } from '../reports/calendar-multiget.ts';
import { calendarQuery } from '../reports/calendar-query.ts';
import { freeBusyQuery } from '../reports/free-busy-query.ts';
import { syncCollection } from '../reports/sync-collection.ts';

/**
 * REPORT (RFC 3253 §3.6) on a calendar collection: calendar-query, calendar-multiget,
 * free-busy-query (RFC 4791 §7.8–7.10) and sync-collection (RFC 6578); any other report, or a
 * report elsewhere, is 403 DAV:supported-report.
 */
export function registerReport(app: HttpApp, deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: 'REPORT', url,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const target = targetOf(request);
        const report = xmlBody(request) ?? fail('MALFORMED_BODY', 'REPORT needs an XML body naming the report');
        const unsupported = () => new PreconditionError(403, NS.dav, 'supported-report', `report {${report.ns}}${report.name} is not supported on ${request.url.split('?')[0]}`);
        if (target.kind !== 'calendar') throw unsupported();
        requireOwnTree(actor, target.user);
        const db = deps.store.db;
        if (report.ns === NS.caldav && report.name === 'free-busy-query') {
          const view = await viewCalendar(db, actor, await calendarRefOf(db, actor, target.segment));
          return freeBusyQuery(reply, db, actor, view, report, deps.clock.now());
        }
        const c = await findCollection(db, actor, target.segment);
        if (report.ns === NS.caldav && report.name === 'calendar-query') return calendarQuery(reply, db, actor, c, report);
        if (report.ns === NS.caldav && report.name === 'calendar-multiget') return calendarMultiget(reply, db, actor, c, report);
        if (report.ns === NS.dav && report.name === 'sync-collection') return syncCollection(reply, db, actor, c, report);
        throw unsupported();
      },
    });
  }
}
