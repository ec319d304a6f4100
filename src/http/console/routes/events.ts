import type { AppDeps, HttpApp } from '../../deps.ts';
import * as repo from '../../../store/repositories/console.ts';
import { renderEventId as renderDingTalkEventId } from '../../dingtalk/ids.ts';
import { renderEventId } from '../../feishu/ids.ts';
import { field, queryParam } from '../form.ts';
import { fail, KalendsError } from '../../../core/errors.ts';
import { answerRoomBookingAsOperator } from '../../../core/rooms/meeting-rooms.ts';
import { MessagePage } from '../views/message.tsx';
import { historyRefs, toHistory } from '../history.ts';
import { appClientIds } from '../lookups.ts';
import { notFound } from '../not-found.ts';
import { sendPage } from '../render.ts';
import { EventPage } from '../views/event.tsx';
import { legacyIdsOf } from '../../../store/repositories/legacy-ids.ts';
import { signInsOf } from '../../../store/repositories/sign-ins.ts';
import { findMeetingChat, findMeetingChatByChatId, findMeetingMinute, findMeetingMinuteByToken } from '../../../store/repositories/meeting-chats.ts';

/** Attendees per page (keyset on `seq`), and changes shown. */
const PAGE = 100;
const HISTORY = 500;

/** `GET /console/events/:id?after=<seq>` (internal event id). */
export function eventRoutes(app: HttpApp, deps: AppDeps): void {
  app.get<{ Params: { id: string } }>('/events/:id', async (request, reply) => {
    const db = deps.store.db;
    const [event] = await repo.findEvents(db, [request.params.id]);
    if (!event) return notFound(reply, 'No such event.');
    const after = Math.max(0, Math.trunc(Number(queryParam(request.query, 'after')) || 0));
    const [rows, changes, calendars, apps, legacy, signIns, signOuts, meetingChat, minutes] = await Promise.all([
      repo.attendeePage(db, event.id, after, PAGE + 1), repo.eventHistory(db, event.id, HISTORY),
      repo.findCalendars(db, [event.calendar_id]), appClientIds(db), legacyIdsOf(db, [event.id]),
      signInsOf(db, event.id, 'in'), signInsOf(db, event.id, 'out'), findMeetingChat(db, event.id), findMeetingMinute(db, event.id),
    ]);
    const attendees = rows.slice(0, PAGE);
    const signed = [...signIns.keys(), ...signOuts.keys()].map((ref) => ({ kind: 'user', ref }));
    const owner = meetingChat ? [{ kind: 'user', ref: meetingChat.owner_user_id }] : [];
    const names = await repo.namesOf(db, [{ kind: 'user', ref: event.organizer_id }, ...owner, ...attendees, ...historyRefs(changes), ...signed]);
    return sendPage(reply, EventPage, {
      event, dingtalkId: renderDingTalkEventId(occurrenceIds(event)), feishuId: renderEventId(occurrenceIds(event)), calendarSummary: calendars[0]?.summary,
      attendees, nextAfter: rows.length > PAGE ? Number(attendees[attendees.length - 1]!.seq) : null, laterPage: after > 0,
      history: toHistory(changes, names), names, appClientIds: apps,
      legacyId: legacy.get(event.id) ?? null, signIns, signOuts, meetingChat, minutes,
    });
  });
}

/**
 * `GET /console/meeting-chats/:chatId` and `/console/meeting-minutes/:token`: where the Feishu
 * meeting chat's applink and the minutes' doc_url lead, the event's page (its attendees are
 * the chat's members).
 */
export function meetingRoutes(app: HttpApp, deps: AppDeps): void {
  app.get<{ Params: { chatId: string } }>('/meeting-chats/:chatId', async (request, reply) => {
    const chat = await findMeetingChatByChatId(deps.store.db, request.params.chatId);
    if (!chat) return notFound(reply, 'No such meeting chat (its event may have been deleted).');
    return reply.redirect(`/console/events/${encodeURIComponent(chat.event_id)}#meeting-chat`, 303);
  });
  app.get<{ Params: { token: string } }>('/meeting-minutes/:token', async (request, reply) => {
    const minutes = await findMeetingMinuteByToken(deps.store.db, request.params.token);
    if (!minutes) return notFound(reply, 'No such minutes (its event may have been deleted).');
    return reply.redirect(`/console/events/${encodeURIComponent(minutes.event_id)}#meeting-chat`, 303);
  });
}

/**
 * `POST /console/events/:id/rooms/:room/answer` (form field `answer`: `ACCEPTED` or `DECLINED`):
 * the operator approves or refuses a meeting room's booking of the event (rooms with
 * `"approval": true` wait for this or meetingRoomRespond), then the event page again.
 */
export function roomAnswerRoutes(app: HttpApp, deps: AppDeps): void {
  app.post<{ Params: { id: string; room: string } }>('/events/:id/rooms/:room/answer', async (request, reply) => {
    const answer = field(request.body, 'answer');
    const [event] = await repo.findEvents(deps.store.db, [request.params.id]);
    if (!event) return notFound(reply, 'No such event.');
    try {
      if (answer !== 'ACCEPTED' && answer !== 'DECLINED') fail('INVALID_PARAMETER', 'answer must be ACCEPTED or DECLINED');
      await deps.store.transaction((tx) => answerRoomBookingAsOperator(tx, event.tenant_id, event.id, request.params.room, answer, deps.clock.now()));
    } catch (error) {
      if (!(error instanceof KalendsError)) throw error;
      return sendPage(reply, MessagePage, { title: 'Not answered', message: error.message }, 400);
    }
    return reply.redirect(`/console/events/${encodeURIComponent(event.id)}#attendees`, 303);
  });
}

/** The fields that name an event row or exception in the platforms' id forms. */
function occurrenceIds(row: { id: string; series_master_id: string | null; original_start: number | null }) {
  return { id: row.id, seriesMasterId: row.series_master_id, originalStart: row.original_start === null ? null : Number(row.original_start) };
}
