import { deleteCalendarObject } from '../../../core/caldav/delete-object.ts';
import { deleteInboxItem } from '../../../core/caldav/schedule-inbox.ts';
import { deleteCalendarAt } from '../../../core/calendars/collection-names.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { calendarRefOf, findCollection, requireOwnTree } from '../collections.ts';
import { actorOf, targetOf } from '../context.ts';
import { URLS } from '../paths.ts';
import { preconditionsOf } from './put.ts';

/**
 * DELETE (RFC 4918 §9.6): of an object (deleteCalendarObject: the organizer deletes the event,
 * an attendee declines it), 204; of a calendar collection the user owns (deleteCalendar, as
 * Feishu calendar.delete: primary calendars cannot be), 204, after which it is 404; of an iTIP
 * message of the schedule inbox (RFC 6638 §4.1: the client has processed it), 204.
 */
export function registerDelete(app: HttpApp, deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: 'DELETE', url,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const target = targetOf(request);
        if (target.kind === 'object') {
          requireOwnTree(actor, target.user);
          const ref = await calendarRefOf(deps.store.db, actor, target.segment);
          const pre = preconditionsOf(request);
          await deps.store.transaction((tx) => deleteCalendarObject(tx, actor, ref, target.name, pre, deps.clock.now()));
          return reply.code(204).send();
        }
        if (target.kind === 'inboxItem') {
          requireOwnTree(actor, target.user);
          await deps.store.transaction((tx) => deleteInboxItem(tx, actor, target.name, deps.clock.now()));
          return reply.code(204).send();
        }
        if (target.kind !== 'calendar') fail('CALENDAR_TYPE_INVALID', 'only calendar collections and calendar objects can be deleted');
        requireOwnTree(actor, target.user);
        const c = await findCollection(deps.store.db, actor, target.segment);
        await deps.store.transaction((tx) => deleteCalendarAt(tx, actor, c.ref, deps.clock.now()));
        return reply.code(204).send();
      },
    });
  }
}
