import { SCOPES } from '../../../core/auth/scopes.ts';
import {
  createSubscribedCalendar, deleteSubscribedCalendar, getSubscribedCalendar, updateSubscribedCalendar,
  type SubscribeScope,
} from '../../../core/calendars/subscribed-calendars.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser, calendarRef } from '../context.ts';
import { renderId } from '../ids.ts';
import { CalendarParams, CreateSubscribedCalendarBody, UpdateSubscribedCalendarBody, UserParams, type SubscribeScopeBody } from '../schemas.ts';
import { CreateSubscribedCalendarReply, ResultReply, SubscribedCalendarReply } from '../replies.ts';

function scopeOf(body: SubscribeScopeBody): SubscribeScope {
  return { unionIds: body.unionIds ?? [], corpIds: body.corpIds ?? [], openConversationIds: body.openConversationIds ?? [] };
}

/**
 * The public-calendar operations that make subscribing real, under
 * `/v1.0/calendar/users/{userId}/subscribedCalendars`: create (→ `{calendarId}`), get
 * (→ `{author, calendarId, name, description, managers, subscribeScope}`), update (PUT →
 * `{result: true}`) and delete (→ `{result: true}`).
 */
export function registerSubscribedCalendars(app: HttpApp, deps: AppDeps): void {
  const write = { scope: SCOPES.calendarWrite };
  app.post('/calendar/users/:userId/subscribedCalendars', {
    schema: { params: UserParams, body: CreateSubscribedCalendarBody, response: { 200: CreateSubscribedCalendarReply } }, config: write,
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const { name, description, managers, subscribeScope } = request.body;
    const id = await deps.store.transaction((tx) => createSubscribedCalendar(tx, actor, {
      name, description: description ?? '', managers: managers ?? [], subscribeScope: scopeOf(subscribeScope),
    }, deps.clock.now()));
    return { calendarId: renderId(id) };
  });

  app.get('/calendar/users/:userId/subscribedCalendars/:calendarId', {
    schema: { params: CalendarParams, response: { 200: SubscribedCalendarReply } }, config: { scope: SCOPES.calendarRead },
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const c = await getSubscribedCalendar(deps.store.db, actor, calendarRef(request.params.calendarId));
    return { author: c.author, calendarId: renderId(c.id), name: c.name, description: c.description, managers: c.managers, subscribeScope: c.subscribeScope };
  });

  app.put('/calendar/users/:userId/subscribedCalendars/:calendarId', {
    schema: { params: CalendarParams, body: UpdateSubscribedCalendarBody, response: { 200: ResultReply } }, config: write,
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const { subscribeScope, ...rest } = request.body;
    await deps.store.transaction((tx) => updateSubscribedCalendar(tx, actor, calendarRef(request.params.calendarId), {
      ...rest, subscribeScope: subscribeScope && scopeOf(subscribeScope),
    }, deps.clock.now()));
    return { result: true };
  });

  app.delete('/calendar/users/:userId/subscribedCalendars/:calendarId', {
    schema: { params: CalendarParams, response: { 200: ResultReply } }, config: write,
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    await deps.store.transaction((tx) => deleteSubscribedCalendar(tx, actor, calendarRef(request.params.calendarId), deps.clock.now()));
    return { result: true };
  });
}
