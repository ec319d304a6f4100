import { SCOPES } from '../../../core/auth/scopes.ts';
import { listCalendarViews } from '../../../core/calendars/manage-calendars.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser } from '../context.ts';
import { renderId } from '../ids.ts';
import { privilegeOf } from '../acl-privileges.ts';
import { UserParams } from '../schemas.ts';
import { ListCalendarsReply } from '../replies.ts';

/**
 * ListCalendars: `GET /v1.0/calendar/users/{userId}/calendars` →
 * `{response: {calendars: [{id, summary, description, type, privilege, timeZone, eTag}]}}`.
 * The user's primary calendar has the id `primary`.
 */
export function registerListCalendars(app: HttpApp, deps: AppDeps): void {
  app.get('/calendar/users/:userId/calendars', {
    schema: { params: UserParams, response: { 200: ListCalendarsReply } },
    config: { scope: SCOPES.calendarRead },
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const views = await listCalendarViews(deps.store.db, actor, null);
    return {
      response: {
        calendars: views.map(({ row, role }) => ({
          id: row.type === 'primary' && row.owner_user_id === actor.userId ? 'primary' : renderId(row.id),
          summary: row.summary,
          description: row.description,
          type: row.type,
          privilege: role === null ? null : privilegeOf(role),
          timeZone: row.time_zone,
          eTag: String(row.updated_at),
        })),
      },
    };
  });
}
