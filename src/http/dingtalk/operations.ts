/**
 * The `@alicloud/dingtalk` SDK's method name of each route (`calendar_1_0`, `oauth2_1_0`), by
 * `METHOD /v1.0/path`: how faults are aimed at an operation.
 */
const U = '/v1.0/calendar/users/:userId';
const EVENT = `${U}/calendars/:calendarId/events/:eventId`;
export const DINGTALK_OPERATIONS: Readonly<Record<string, string>> = {
  'POST /v1.0/oauth2/accessToken': 'getAccessToken',
  // dingtalk-stream's DWClient: the Stream Mode connection request.
  'POST /v1.0/gateway/connections/open': 'openConnection',
  [`GET ${U}/calendars`]: 'listCalendars',
  [`POST ${U}/calendars/:calendarId/events`]: 'createEvent',
  [`GET ${U}/calendars/:calendarId/events`]: 'listEvents',
  [`GET ${EVENT}`]: 'getEvent',
  [`GET ${U}/calendars/:calendarId/eventsview`]: 'listEventsView',
  ['GET /v1.0/calendar/me/calendars/:calendarId/eventsview']: 'listEventsViewByMe',
  [`GET ${EVENT}/instances`]: 'listInstances',
  [`GET ${U}/calendars/:calendarId/instances`]: 'listEventsInstances',
  [`POST ${U}/querySchedule`]: 'getSchedule',
  [`POST ${EVENT}/meetingRooms`]: 'addMeetingRooms',
  [`POST ${EVENT}/meetingRooms/batchRemove`]: 'removeMeetingRooms',
  [`POST ${EVENT}/meetingRooms/:roomId/respond`]: 'meetingRoomRespond',
  [`POST ${U}/meetingRooms/schedules/query`]: 'getMeetingRoomsSchedule',
  ['POST /v1.0/calendar/me/schedules/query']: 'getScheduleByMe',
  [`PUT ${EVENT}`]: 'patchEvent',
  [`DELETE ${EVENT}`]: 'deleteEvent',
  [`POST ${EVENT}/cancel`]: 'cancelEvent',
  [`POST ${EVENT}/attendees`]: 'addAttendee',
  [`GET ${EVENT}/attendees`]: 'listAttendees',
  [`POST ${EVENT}/attendees/batchRemove`]: 'removeAttendee',
  [`POST ${EVENT}/respond`]: 'respondEvent',
  [`POST ${U}/calendars/:calendarId/subscribe`]: 'subscribeCalendar',
  [`POST ${U}/calendars/:calendarId/unsubscribe`]: 'unsubscribeCalendar',
  [`POST ${U}/subscribedCalendars`]: 'createSubscribedCalendar',
  [`GET ${U}/subscribedCalendars/:calendarId`]: 'getSubscribedCalendar',
  [`PUT ${U}/subscribedCalendars/:calendarId`]: 'updateSubscribedCalendars',
  [`DELETE ${U}/subscribedCalendars/:calendarId`]: 'deleteSubscribedCalendar',
  [`POST ${U}/caldavAccounts`]: 'generateCaldavAccount',
};
