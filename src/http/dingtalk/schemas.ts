import { Type, type Static } from '@sinclair/typebox';

/** Request schemas of the DingTalk Calendar v1.0 operations, field for field as the SDK models them. */

const DateTime = Type.Object({
  date: Type.Optional(Type.String()),
  dateTime: Type.Optional(Type.String()),
  timeZone: Type.Optional(Type.String()),
});

const Recurrence = Type.Object({
  pattern: Type.Optional(Type.Object({
    type: Type.Optional(Type.String()),
    interval: Type.Optional(Type.Integer()),
    daysOfWeek: Type.Optional(Type.String()),
    dayOfMonth: Type.Optional(Type.Integer()),
    index: Type.Optional(Type.String()),
    firstDayOfWeek: Type.Optional(Type.String()),
  })),
  range: Type.Optional(Type.Object({
    type: Type.Optional(Type.String()),
    endDate: Type.Optional(Type.String()),
    numberOfOccurrences: Type.Optional(Type.Integer()),
  })),
});

const AttendeeIn = Type.Object({
  id: Type.String({ minLength: 1 }),
  isOptional: Type.Optional(Type.Boolean()),
  email: Type.Optional(Type.String()),
});

const eventFields = {
  summary: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  start: Type.Optional(DateTime),
  end: Type.Optional(DateTime),
  isAllDay: Type.Optional(Type.Boolean()),
  recurrence: Type.Optional(Recurrence),
  attendees: Type.Optional(Type.Array(AttendeeIn)),
  location: Type.Optional(Type.Object({ displayName: Type.Optional(Type.String()) })),
  reminders: Type.Optional(Type.Array(Type.Object({
    method: Type.Optional(Type.String()),
    minutes: Type.Integer({ minimum: 0 }),
  }))),
  onlineMeetingInfo: Type.Optional(Type.Object({ type: Type.String() })),
  extra: Type.Optional(Type.Record(Type.String(), Type.String())),
  freeBusyStatus: Type.Optional(Type.Union([Type.Literal('free'), Type.Literal('busy')])),
  richTextDescription: Type.Optional(Type.Object({ text: Type.Optional(Type.String()) })),
  categories: Type.Optional(Type.Array(Type.Object({ categoryId: Type.Optional(Type.String()), displayName: Type.Optional(Type.String()) }))),
  cardInstances: Type.Optional(Type.Array(Type.Object({ outTrackId: Type.Optional(Type.String()), scenario: Type.Optional(Type.String()) }))),
  uiConfigs: Type.Optional(Type.Array(Type.Object({ uiName: Type.String(), uiStatus: Type.String() }))),
};

export const CreateEventBody = Type.Object({
  ...eventFields,
  summary: Type.String(),
  start: DateTime,
  end: DateTime,
});
export type CreateEventBody = Static<typeof CreateEventBody>;

export const PatchEventBody = Type.Object({ ...eventFields, id: Type.String() });
export type PatchEventBody = Static<typeof PatchEventBody>;
export type DingTalkDateTime = Static<typeof DateTime>;

export const AddAttendeeBody = Type.Object({
  attendeesToAdd: Type.Array(Type.Object({ id: Type.String({ minLength: 1 }), isOptional: Type.Optional(Type.Boolean()) })),
  chatNotification: Type.Optional(Type.Boolean()),
  pushNotification: Type.Optional(Type.Boolean()),
});

export const RemoveAttendeeBody = Type.Object({
  attendeesToRemove: Type.Array(Type.Object({ id: Type.String({ minLength: 1 }) })),
});

export const RespondEventBody = Type.Object({ responseStatus: Type.String() });

const SubscribeScope = Type.Object({
  corpIds: Type.Optional(Type.Array(Type.String())),
  openConversationIds: Type.Optional(Type.Array(Type.String())),
  unionIds: Type.Optional(Type.Array(Type.String())),
});

export const CreateSubscribedCalendarBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  description: Type.Optional(Type.String()),
  managers: Type.Optional(Type.Array(Type.String())),
  subscribeScope: SubscribeScope,
});

export const UpdateSubscribedCalendarBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1 })),
  description: Type.Optional(Type.String()),
  managers: Type.Optional(Type.Array(Type.String())),
  subscribeScope: Type.Optional(SubscribeScope),
});
export type SubscribeScopeBody = Static<typeof SubscribeScope>;

export const TokenBody = Type.Object({ appKey: Type.String(), appSecret: Type.String() });
/** getUserToken (`POST /v1.0/oauth2/userAccessToken`): the SDK marks only clientId required. */
export const UserTokenBody = Type.Object({
  clientId: Type.String(),
  clientSecret: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  refreshToken: Type.Optional(Type.String()),
  grantType: Type.Optional(Type.String()),
});
/** The login page `/oauth2/auth` (login.dingtalk.com on the platform); `login_hint` is the sandbox's. */
export const LoginPageQuery = Type.Object({
  redirect_uri: Type.Optional(Type.String()),
  response_type: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  prompt: Type.Optional(Type.String()),
  org_type: Type.Optional(Type.String()),
  corpId: Type.Optional(Type.String()),
  exclusiveLogin: Type.Optional(Type.String()),
  exclusiveCorpId: Type.Optional(Type.String()),
  login_hint: Type.Optional(Type.String()),
});

/** Path parameters of the user-scoped operations. */
export const UserParams = Type.Object({ userId: Type.String() });
export const CalendarParams = Type.Object({ userId: Type.String(), calendarId: Type.String() });
export const EventParams = Type.Object({ userId: Type.String(), calendarId: Type.String(), eventId: Type.String() });

export const ListEventsQuery = Type.Object({
  timeMin: Type.Optional(Type.String()),
  timeMax: Type.Optional(Type.String()),
  showDeleted: Type.Optional(Type.Boolean()),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  maxAttendees: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  nextToken: Type.Optional(Type.String()),
  syncToken: Type.Optional(Type.String()),
  seriesMasterId: Type.Optional(Type.String()),
});

export const GetEventQuery = Type.Object({
  maxAttendees: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
});

export const ListAttendeesQuery = Type.Object({
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  nextToken: Type.Optional(Type.String()),
});

export const DeleteEventQuery = Type.Object({ pushNotification: Type.Optional(Type.Boolean()) });

/** listEventsView / listEventsViewByMe (`…/eventsview`): the window is required; pages of ≤ 100. */
export const EventsViewQuery = Type.Object({
  timeMin: Type.Optional(Type.String()),
  timeMax: Type.Optional(Type.String()),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  maxAttendees: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  nextToken: Type.Optional(Type.String()),
});
export const MeCalendarParams = Type.Object({ calendarId: Type.String() });

/** listInstances (`…/events/{eventId}/instances`). */
export const ListInstancesQuery = EventsViewQuery;

/** listEventsInstances (`…/calendars/{calendarId}/instances`): one series' instances from `startRecurrenceId`. */
export const ListEventsInstancesQuery = Type.Object({
  seriesMasterId: Type.String(),
  startRecurrenceId: Type.Optional(Type.String()),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  maxAttendees: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
});

/** getSchedule / getScheduleByMe: the people (unionIds, at most 20) and the window. */
export const ScheduleBody = Type.Object({
  userIds: Type.Array(Type.String()),
  startTime: Type.String(),
  endTime: Type.String(),
});

const RoomRef = Type.Object({ roomId: Type.Optional(Type.String()) });
/** addMeetingRooms: `meetingRoomsToAdd[{roomId}]`. */
export const AddMeetingRoomsBody = Type.Object({ meetingRoomsToAdd: Type.Array(RoomRef) });
/** removeMeetingRooms: `meetingRoomsToRemove[{roomId}]`. */
export const RemoveMeetingRoomsBody = Type.Object({ meetingRoomsToRemove: Type.Optional(Type.Array(RoomRef)) });
/** meetingRoomRespond: the room's answer. */
export const MeetingRoomRespondBody = Type.Object({ responseStatus: Type.String() });
export const MeetingRoomParams = Type.Object({ userId: Type.String(), calendarId: Type.String(), eventId: Type.String(), roomId: Type.String() });
/** getMeetingRoomsSchedule: rooms and window ("2022-07-29T14:55Z"). */
export const RoomScheduleBody = Type.Object({
  roomIds: Type.Optional(Type.Array(Type.String())),
  startTime: Type.String(),
  endTime: Type.String(),
});

/** createAcls: a privilege for one user (`scope{scopeType: "user", userId: unionId}`), `sendMsg` to tell them. */
export const CreateAclsBody = Type.Object({
  privilege: Type.String(),
  scope: Type.Object({ scopeType: Type.String(), userId: Type.String() }),
  sendMsg: Type.Optional(Type.Boolean()),
});
export const AclParams = Type.Object({ userId: Type.String(), calendarId: Type.String(), aclId: Type.String() });

/** transferEvent: the new organizer (unionId); the old one may leave (`isExitCalendar`). */
export const TransferEventBody = Type.Object({
  newOrganizerId: Type.String(),
  isExitCalendar: Type.Optional(Type.Boolean()),
  needNotifyViaO2O: Type.Optional(Type.Boolean()),
});

/** getSignInList / getSignOutList: `type` (done or not yet), pages of `maxResults` ≤ 500 after `nextToken`. */
export const SignInListQuery = Type.Object({
  type: Type.Optional(Type.String()),
  maxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  nextToken: Type.Optional(Type.String()),
});

/** convertLegacyEventId: the legacy numeric ids, as strings. */
export const ConvertLegacyEventIdBody = Type.Object({ legacyEventIds: Type.Array(Type.String()) });
/** GenerateCaldavAccount's body: the device the password is for (required). */
export const GenerateCaldavAccountBody = Type.Object({ device: Type.String({ minLength: 1, maxLength: 100 }) });
