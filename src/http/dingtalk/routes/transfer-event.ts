import { SCOPES } from '../../../core/auth/scopes.ts';
import { fail } from '../../../core/errors.ts';
import { transferEvent } from '../../../core/events/transfer-event.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { runWrite, sendStored } from '../../plugins/idempotency.ts';
import { actingUser, calendarRef, clientToken, eventKey } from '../context.ts';
import { EventParams, TransferEventBody } from '../schemas.ts';
import { ResultReply } from '../replies.ts';

/**
 * TransferEvent: `POST …/events/{eventId}/transfer` `{newOrganizerId, isExitCalendar,
 * needNotifyViaO2O}` → `{result: true}`, as the organizer (`x-client-token` idempotent). With
 * `needNotifyViaO2O` the attendees get a one-to-one message (the `chat` channel).
 */
export function registerTransferEvent(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/calendars/:calendarId/events/:eventId/transfer', {
    schema: { params: EventParams, body: TransferEventBody, response: { 200: ResultReply } },
    config: { scope: SCOPES.eventWrite },
  }, async (request, reply) => {
    const body = request.body;
    if (!body.newOrganizerId) fail('INVALID_PARAMETER', 'newOrganizerId is required');
    const actor = await actingUser(deps, request, request.params.userId);
    const transfer = { newOrganizer: body.newOrganizerId, exit: body.isExitCalendar ?? false, channels: body.needNotifyViaO2O ? ['chat' as const] : [] };
    const stored = await runWrite(deps, request, actor.appId, clientToken(request), async (tx) => {
      await transferEvent(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), transfer, deps.clock.now());
      return { result: true };
    });
    return sendStored(reply, stored);
  });
}
