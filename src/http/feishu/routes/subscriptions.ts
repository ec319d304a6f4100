import { setPushSubscription, type PushTopic } from '../../../core/calendars/push-subscriptions.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { feishuActor } from '../context.ts';
import { parseCalendarId } from '../ids.ts';
import { FEISHU_READ, ok } from '../reply.ts';
import { CalendarParams } from '../schemas.ts';
import { EmptyDataReply } from '../replies.ts';

/**
 * Change-push subscriptions: `POST /calendar/v4/calendars/subscription` (and `unsubscription`),
 * `…/calendars/{calendar_id}/events/subscription`, `…/calendars/{calendar_id}/acls/subscription`
 * (and their `unsubscription`) → `{}`.
 */
export function registerSubscriptionRoutes(app: HttpApp, deps: AppDeps): void {
  const config = { feishuScopes: FEISHU_READ };
  for (const [verb, on] of [['subscription', true], ['unsubscription', false]] as const) {
    app.post(`/calendar/v4/calendars/${verb}`, { schema: { response: { 200: EmptyDataReply } }, config }, async (request) => {
      const actor = await feishuActor(deps, request);
      await deps.store.transaction((tx) => setPushSubscription(tx, actor, 'calendar', null, on, deps.clock.now()));
      return ok({});
    });
    for (const [segment, topic] of [['events', 'event'], ['acls', 'acl']] as const satisfies ReadonlyArray<readonly [string, PushTopic]>) {
      app.post(`/calendar/v4/calendars/:calendar_id/${segment}/${verb}`, { schema: { params: CalendarParams, response: { 200: EmptyDataReply } }, config }, async (request) => {
        const actor = await feishuActor(deps, request);
        const id = parseCalendarId(request.params.calendar_id);
        await deps.store.transaction((tx) => setPushSubscription(tx, actor, topic, { id }, on, deps.clock.now()));
        return ok({});
      });
    }
  }
}
