import { SCOPES } from '../../../core/auth/scopes.ts';
import { listUserCalendars } from '../../../core/calendars/subscribed-calendars.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser } from '../context.ts';
import { renderId } from '../ids.ts';
import { UserParams } from '../schemas.ts';

/**
 * ListCalendars: `GET /v1.0/calendar/users/{userId}/calendars` →
 * `{response: {calendars: [{id, summary, description, type, privilege, timeZone, eTag}]}}`.
 * The user's primary calendar has the id `primary`.
 */
export function registerListCalendars(app: HttpApp, deps: AppDeps): void {
  app.get('/calendar/users/:userId/calendars', {
    schema: { params: UserParams },
    config: { scope: SCOPES.calendarRead },
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const rows = await listUserCalendars(deps.store.db, actor);
    return {
      response: {
        calendars: rows.map((c) => ({
          id: c.type === 'primary' && c.owner_user_id === actor.userId ? 'primary' : renderId(c.id),
          summary: c.summary,
          description: c.description,
          type: c.type,
          privilege: c.role,
          timeZone: c.time_zone,
          eTag: String(c.updated_at),
        })),
      },
    };
  });
}
