import type { CalendarInput } from '../../../core/calendars/manage-calendars.ts';
import { createCalendarAt } from '../../../core/calendars/collection-names.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { applyProperty, CREATION_ONLY, setProps } from '../calendar-props.ts';
import { requireOwnTree } from '../collections.ts';
import { actorOf, targetOf, xmlBodyOf } from '../context.ts';
import { PreconditionError } from '../errors.ts';
import { paths, URLS } from '../paths.ts';
import { NS, child, clark } from '../xml.ts';

/**
 * MKCALENDAR (RFC 4791 §5.3.1) and extended MKCOL (RFC 5689 §3) of a calendar in the user's
 * home: a shared calendar owned by them (createCalendar, as Feishu calendar.create), kept at
 * the path the client chose; displayname, calendar-description and calendar-color are set;
 * 201 with its `Location`. A taken path is 405 (DAV:resource-must-be-null); an MKCOL of
 * anything but a calendar is 403 (DAV:valid-resourcetype); a component set without VEVENT 403
 * (CALDAV:supported-calendar-component).
 */
export function registerMkcalendar(app: HttpApp, deps: AppDeps): void {
  for (const method of ['MKCALENDAR', 'MKCOL'] as const) {
    for (const url of URLS) {
      app.route({
        method, url,
        handler: async (request, reply) => {
          const actor = actorOf(request);
          const target = targetOf(request);
          if (target.kind !== 'calendar') fail('CALENDAR_TYPE_INVALID', `${method} makes a calendar: name a path in your calendar home`);
          requireOwnTree(actor, target.user);
          const body = method === 'MKCALENDAR' ? xmlBodyOf(request, NS.caldav, 'mkcalendar', true) : xmlBodyOf(request, NS.dav, 'mkcol', true);
          const props = setProps(body);
          if (method === 'MKCOL') {
            const types = props.find((p) => p.ns === NS.dav && p.name === 'resourcetype');
            if (!child(types, NS.caldav, 'calendar')) throw new PreconditionError(403, NS.dav, 'valid-resourcetype', 'only calendar collections can be made here');
          }
          const components = props.find((p) => p.ns === NS.caldav && p.name === 'supported-calendar-component-set');
          if (components && !components.children.some((c) => c.name === 'comp' && c.attrs.name?.toUpperCase() === 'VEVENT')) {
            throw new PreconditionError(403, NS.caldav, 'supported-calendar-component', 'Kalends calendars hold VEVENTs');
          }
          const input: CalendarInput = {};
          for (const prop of props) {
            if (!CREATION_ONLY.has(clark(prop.ns, prop.name)) && !applyProperty(input, prop, false)) {
              throw new PreconditionError(403, NS.dav, 'cannot-modify-protected-property', `{${prop.ns}}${prop.name} cannot be set`);
            }
          }
          const made = await deps.store.transaction((tx) => createCalendarAt(tx, actor, target.segment, input, deps.clock.now()));
          if (!made) throw new PreconditionError(405, NS.dav, 'resource-must-be-null', `${request.url.split('?')[0]} already exists`);
          return reply.code(201).header('Location', paths.calendar(actor.userId, target.segment)).send();
        },
      });
    }
  }
}
