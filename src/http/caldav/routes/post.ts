import { scheduleFreeBusy } from '../../../core/caldav/schedule-free-busy.ts';
import { KalendsError } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { requireOwnTree } from '../collections.ts';
import { actorOf, targetOf } from '../context.ts';
import { PreconditionError } from '../errors.ts';
import { URLS } from '../paths.ts';
import { NS, el, href, writeXml } from '../xml.ts';
import { ALLOW } from './options.ts';

/**
 * POST of an iTIP free/busy request to the user's schedule outbox (RFC 6638 §5.1): the
 * VFREEBUSY REQUEST's attendees answered one CALDAV:response each in a CALDAV:schedule-response
 * (200): recipient, request-status and, for a known one, their VFREEBUSY (scheduleFreeBusy).
 * An ORGANIZER other than the signed-in user is 403 CALDAV:organizer-allowed; a body that is not
 * such a request 403 CALDAV:valid-calendar-data. POST elsewhere is 405.
 */
export function registerPost(app: HttpApp, deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: 'POST', url,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const target = targetOf(request);
        if (target.kind !== 'outbox') return reply.code(405).header('Allow', ALLOW).type('text/plain; charset=utf-8').send('POST goes to a schedule outbox\n');
        requireOwnTree(actor, target.user);
        const text = typeof request.body === 'string' ? request.body : '';
        let answers;
        try {
          answers = await scheduleFreeBusy(deps.store.db, actor, text, deps.clock.now());
        } catch (error) {
          if (error instanceof KalendsError && error.code === 'EVENT_PERMISSION_DENIED') throw new PreconditionError(403, NS.caldav, 'organizer-allowed', error.message);
          throw error;
        }
        const responses = answers.map((a) => el(NS.caldav, 'response', [
          el(NS.caldav, 'recipient', [href(a.recipient)]),
          el(NS.caldav, 'request-status', a.status),
          ...(a.ics !== undefined ? [el(NS.caldav, 'calendar-data', a.ics)] : []),
        ]));
        return reply.code(200).type('application/xml; charset=utf-8').send(writeXml(el(NS.caldav, 'schedule-response', responses)));
      },
    });
  }
}
