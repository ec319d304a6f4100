import { patchCalendar, type CalendarInput } from '../../../core/calendars/manage-calendars.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { applyProperty } from '../calendar-props.ts';
import { findCollection, requireOwnTree } from '../collections.ts';
import { actorOf, targetOf, xmlBodyOf } from '../context.ts';
import { sendMultistatus, statusLine } from '../multistatus.ts';
import { paths, URLS } from '../paths.ts';
import { NS, child, el, href, type XmlNode } from '../xml.ts';

/**
 * PROPPATCH of a calendar (RFC 4918 §9.2): displayname, calendar-description and
 * calendar-color, applied together through patchCalendar (its owner only: 403
 * DAV:need-privileges otherwise). Any other property makes the whole request fail, as §9.2
 * says: it is answered 403 and the others 424, and nothing changes.
 */
export function registerProppatch(app: HttpApp, deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: 'PROPPATCH', url,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const target = targetOf(request);
        if (target.kind !== 'calendar') fail('CALENDAR_TYPE_INVALID', 'PROPPATCH changes calendar collections only');
        requireOwnTree(actor, target.user);
        const body = xmlBodyOf(request, NS.dav, 'propertyupdate', false)!;
        const c = await findCollection(deps.store.db, actor, target.segment);
        const input: CalendarInput = {};
        const accepted: XmlNode[] = [];
        const refused: XmlNode[] = [];
        for (const action of body.children.filter((a) => a.ns === NS.dav && (a.name === 'set' || a.name === 'remove'))) {
          for (const prop of child(action, NS.dav, 'prop')?.children ?? []) {
            (applyProperty(input, prop, action.name === 'remove') ? accepted : refused).push(el(prop.ns, prop.name));
          }
        }
        if (refused.length === 0 && accepted.length > 0) await deps.store.transaction((tx) => patchCalendar(tx, actor, c.ref, input, deps.clock.now()));
        const propstat = (props: XmlNode[], status: number) => el(NS.dav, 'propstat', [el(NS.dav, 'prop', props), el(NS.dav, 'status', statusLine(status))]);
        const stats = refused.length === 0
          ? [propstat(accepted, 200)]
          : [propstat(refused, 403), ...(accepted.length > 0 ? [propstat(accepted, 424)] : [])];
        return sendMultistatus(reply, [el(NS.dav, 'response', [href(paths.calendar(actor.userId, c.segment)), ...stats])]);
      },
    });
  }
}
