import { Type } from '@sinclair/typebox';

/**
 * Success reply schemas of the DingTalk Calendar v1.0 operations, as the `@alicloud/dingtalk`
 * response models (`calendar_1_0` `…ResponseBody`) name the fields. They document the routes
 * (OpenAPI) and are checked against real replies by test/openapi.test.ts; they never filter
 * what is sent (app.ts serializes with JSON.stringify). Extra fields are allowed.
 */

/** An empty 200 (AddAttendee, RemoveAttendee, RespondEvent, DeleteEvent, SubscribeCalendar). */
export const EmptyReply = Type.Null({ description: 'Empty body' });

export const TokenReply = Type.Object({
  accessToken: Type.String(),
  expireIn: Type.Integer({ description: 'seconds' }),
});

const DateTimeOut = Type.Object({
  date: Type.Optional(Type.String({ description: 'yyyy-MM-dd, all-day events' })),
  dateTime: Type.Optional(Type.String({ description: 'ISO 8601 with offset' })),
  timeZone: Type.Optional(Type.String({ description: 'IANA time zone' })),
});

const Person = Type.Object({
  id: Type.String({ description: 'unionId' }),
  displayName: Type.Optional(Type.String()),
  responseStatus: Type.String({ description: 'needsAction, accepted, declined or tentative' }),
  isOptional: Type.Optional(Type.Boolean()),
  self: Type.Boolean(),
});

export const EventReply = Type.Object({
  id: Type.String(),
  summary: Type.String(),
  description: Type.String(),
  start: DateTimeOut,
  end: DateTimeOut,
  isAllDay: Type.Boolean(),
  recurrence: Type.Optional(Type.Object({
    pattern: Type.Optional(Type.Object({}, { additionalProperties: true })),
    range: Type.Optional(Type.Object({}, { additionalProperties: true })),
  })),
  attendees: Type.Array(Person),
  organizer: Person,
  location: Type.Optional(Type.Object({ displayName: Type.String(), meetingRooms: Type.Optional(Type.Array(Type.String())) })),
  meetingRooms: Type.Optional(Type.Array(Type.Object({ roomId: Type.Optional(Type.String()), displayName: Type.Optional(Type.String()), responseStatus: Type.String() }))),
  reminders: Type.Optional(Type.Array(Type.Object({ method: Type.String(), minutes: Type.String({ description: 'minutes, as a string (SDK model)' }) }))),
  onlineMeetingInfo: Type.Optional(Type.Object({ type: Type.String() }, { additionalProperties: true })),
  richTextDescription: Type.Optional(Type.Object({ text: Type.String() })),
  categories: Type.Optional(Type.Unknown({ description: 'as given at create or patch' })),
  cardInstances: Type.Optional(Type.Unknown({ description: 'as given at create or patch' })),
  uiConfigs: Type.Optional(Type.Unknown({ description: 'as given at create or patch' })),
  status: Type.String({ description: 'confirmed, tentative or cancelled' }),
  createTime: Type.String({ description: 'ISO 8601, UTC' }),
  updateTime: Type.String({ description: 'ISO 8601, UTC' }),
});

export const ListEventsReply = Type.Object({
  events: Type.Array(EventReply),
  nextToken: Type.Optional(Type.String()),
  syncToken: Type.Optional(Type.String()),
});

export const ListAttendeesReply = Type.Object({
  attendees: Type.Array(Person),
  nextToken: Type.Optional(Type.String()),
});

export const ListCalendarsReply = Type.Object({
  response: Type.Object({
    calendars: Type.Array(Type.Object({
      id: Type.String({ description: '`primary` for the user\'s own primary calendar' }),
      summary: Type.String(),
      description: Type.String(),
      type: Type.String({ description: 'primary, shared or subscribe' }),
      privilege: Type.Union([Type.String(), Type.Null()]),
      timeZone: Type.String(),
      eTag: Type.String(),
    })),
  }),
});

export const ResultReply = Type.Object({ result: Type.Boolean() });

export const CreateSubscribedCalendarReply = Type.Object({ calendarId: Type.String() });

const SubscribeScopeOut = Type.Object({
  unionIds: Type.Array(Type.String()),
  corpIds: Type.Array(Type.String()),
  openConversationIds: Type.Array(Type.String()),
});

export const SubscribedCalendarReply = Type.Object({
  author: Type.String({ description: 'unionId of the creator' }),
  calendarId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  managers: Type.Array(Type.String()),
  subscribeScope: SubscribeScopeOut,
});
