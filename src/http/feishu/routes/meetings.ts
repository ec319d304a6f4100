import { createMeetingChat, createMeetingMinute, unbindMeetingChat } from '../../../core/meetings/meeting-chats.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { feishuActor } from '../context.ts';
import { parseCalendarId, parseEventId } from '../ids.ts';
import { EmptyDataReply, MeetingChatReply, MeetingMinuteReply } from '../replies.ts';
import { FEISHU_WRITE, ok } from '../reply.ts';
import { EventParams, MeetingChatDeleteQuery } from '../schemas.ts';
import { consoleOrigin } from '../../console-origin.ts';

/**
 * Calendar v4 `calendar.event.meeting_chat` (create → `{meeting_chat_id, applink}`, delete with
 * `meeting_chat_id`) and `calendar.event.meeting_minute` (create → `{doc_url}`) on the caller's
 * primary calendar. The sandbox's applink opens the console's page of the chat (the event's
 * attendees), the doc_url the console's page of the minutes (the event).
 */
export function registerMeetingRoutes(app: HttpApp, deps: AppDeps): void {
  const base = '/calendar/v4/calendars/:calendar_id/events/:event_id';
  const config = { feishuScopes: FEISHU_WRITE };

  app.post(`${base}/meeting_chat`, { schema: { params: EventParams, response: { 200: MeetingChatReply } }, config }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const key = parseEventId(request.params.event_id);
    const actor = await feishuActor(deps, request);
    const chat = await deps.store.transaction((tx) => createMeetingChat(tx, actor, { id: calendarId }, key, deps.clock.now()));
    return ok({ meeting_chat_id: chat.chat_id, applink: `${consoleOrigin(request)}/console/meeting-chats/${chat.chat_id}` });
  });

  app.delete(`${base}/meeting_chat`, { schema: { params: EventParams, querystring: MeetingChatDeleteQuery, response: { 200: EmptyDataReply } }, config }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const key = parseEventId(request.params.event_id);
    const actor = await feishuActor(deps, request);
    await deps.store.transaction((tx) => unbindMeetingChat(tx, actor, { id: calendarId }, key, request.query.meeting_chat_id, deps.clock.now()));
    return ok({});
  });

  app.post(`${base}/meeting_minute`, { schema: { params: EventParams, response: { 200: MeetingMinuteReply } }, config }, async (request) => {
    const calendarId = parseCalendarId(request.params.calendar_id);
    const key = parseEventId(request.params.event_id);
    const actor = await feishuActor(deps, request);
    const minute = await deps.store.transaction((tx) => createMeetingMinute(tx, actor, { id: calendarId }, key, deps.clock.now()));
    return ok({ doc_url: `${consoleOrigin(request)}/console/meeting-minutes/${minute.doc_token}` });
  });
}
