import { SCOPES } from '../../../core/auth/scopes.ts';
import { removeAttendees } from '../../../core/attendees/remove-attendees.ts';
import { fail } from '../../../core/errors.ts';
import { addMeetingRooms, answerRoomBooking, roomSchedules } from '../../../core/rooms/meeting-rooms.ts';
import type { BusyItem } from '../../../core/schedule/free-busy.ts';
import { parseIsoDateTime } from '../../../core/time/zoned.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser, calendarRef, eventKey } from '../context.ts';
import { parseResponseStatus, renderTime } from '../mapper.ts';
import { renderEventId } from '../ids.ts';
import { findUsersByIds } from '../../../store/repositories/directory.ts';
import {
  AddMeetingRoomsBody, EventParams, MeetingRoomParams, MeetingRoomRespondBody, RemoveMeetingRoomsBody, RoomScheduleBody, UserParams,
} from '../schemas.ts';
import { ResultReply, RoomScheduleReply } from '../replies.ts';

/** "一个日程最多添加5个会议室". */
const MAX_ROOMS_PER_EVENT = 5;
/** getMeetingRoomsSchedule: "Cannot query schedule for more than 90 days." */
const MAX_SCHEDULE_SPAN = 90 * 86_400_000;

/**
 * DingTalk meeting rooms: addMeetingRooms (`POST …/events/{eventId}/meetingRooms`, at most 5
 * rooms per event, a taken room 400 meetingRoomNotAvailable), removeMeetingRooms (`POST
 * …/meetingRooms/batchRemove`), meetingRoomRespond (`POST …/meetingRooms/{roomId}/respond`: a
 * booking awaiting approval answered) and getMeetingRoomsSchedule (`POST
 * /users/{userId}/meetingRooms/schedules/query`, at most 90 days; an empty list means idle).
 * All reply `{result: true}` but the schedule. Sources: add-a-meeting-room,
 * remove-a-meeting-room, queries-free-and-busy-meeting-room-information, the SDK's models.
 */
export function registerMeetingRooms(app: HttpApp, deps: AppDeps): void {
  const write = { scope: SCOPES.eventWrite };
  const event = '/calendar/users/:userId/calendars/:calendarId/events/:eventId';

  app.post(`${event}/meetingRooms`, { schema: { params: EventParams, body: AddMeetingRoomsBody, response: { 200: ResultReply } }, config: write }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const roomIds = request.body.meetingRoomsToAdd.map((r) => r.roomId ?? '');
    await deps.store.transaction((tx) => addMeetingRooms(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), roomIds, MAX_ROOMS_PER_EVENT, [], deps.clock.now()));
    return { result: true };
  });

  app.post(`${event}/meetingRooms/batchRemove`, { schema: { params: EventParams, body: RemoveMeetingRoomsBody, response: { 200: ResultReply } }, config: write }, async (request) => {
    const rooms = request.body.meetingRoomsToRemove ?? [];
    if (rooms.length === 0 || rooms.some((r) => !r.roomId)) fail('INVALID_PARAMETER', 'Meeting rooms to remove must be provided.');
    const actor = await actingUser(deps, request, request.params.userId);
    await deps.store.transaction((tx) => removeAttendees(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId),
      rooms.map((r) => ({ kind: 'resource' as const, roomId: r.roomId! })), [], deps.clock.now()));
    return { result: true };
  });

  app.post(`${event}/meetingRooms/:roomId/respond`, { schema: { params: MeetingRoomParams, body: MeetingRoomRespondBody, response: { 200: ResultReply } }, config: write }, async (request) => {
    const answer = parseResponseStatus(request.body.responseStatus);
    const actor = await actingUser(deps, request, request.params.userId);
    await deps.store.transaction((tx) => answerRoomBooking(tx, actor, calendarRef(request.params.calendarId), eventKey(request.params.eventId), request.params.roomId, answer, deps.clock.now()));
    return { result: true };
  });

  app.post('/calendar/users/:userId/meetingRooms/schedules/query', { schema: { params: UserParams, body: RoomScheduleBody, response: { 200: RoomScheduleReply } }, config: { scope: SCOPES.eventRead } }, async (request) => {
    const body = request.body;
    const roomIds = body.roomIds ?? [];
    if (roomIds.length === 0) fail('INVALID_PARAMETER', 'query ids cannot be empty');
    const from = parseIsoDateTime(body.startTime, 'startTime').instant;
    const to = parseIsoDateTime(body.endTime, 'endTime').instant;
    if (to <= from) fail('INVALID_PARAMETER', 'endTime must be after startTime');
    if (to - from > MAX_SCHEDULE_SPAN) fail('SCHEDULE_TIME_RANGE', 'Cannot query schedule for more than 90 days.');
    const actor = await actingUser(deps, request, request.params.userId);
    const answers = await roomSchedules(deps.store.db, actor, roomIds, from, to);
    const organizers = new Map((await findUsersByIds(deps.store.db, [...new Set(answers.flatMap((a) => ('items' in a ? a.items.map((i) => i.event.organizerId) : [])))])).map((u) => [u.id, u.union_id]));
    return {
      scheduleInformation: answers.map((a) => ('error' in a
        ? { roomId: a.roomId, error: a.error, scheduleItems: [] }
        : { roomId: a.roomId, scheduleItems: a.items.map((i) => renderItem(i, organizers)) })),
    };
  });
}

function renderItem(item: BusyItem, organizers: ReadonlyMap<string, string>) {
  return {
    status: item.status, eventId: renderEventId(item.event), organizer: { id: organizers.get(item.event.organizerId) ?? '' },
    start: renderTime(item.event.start), end: renderTime(item.event.end),
  };
}
