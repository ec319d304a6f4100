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

/** getUserToken: a user access token, its single-use refresh token and the user's corpId. */
export const UserTokenReply = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String({ description: 'single use: refreshing returns a new one (30 days)' }),
  expireIn: Type.Integer({ description: 'seconds' }),
  corpId: Type.String({ description: 'the tenant id' }),
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
  seriesMasterId: Type.Optional(Type.String({ description: 'an instance of a recurring event: its series\' id' })),
  originStart: Type.Optional(Type.Object({ dateTime: Type.String({ description: 'the instance\'s original start, ISO 8601 in UTC' }) })),
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

/** listEventsView(ByMe), listInstances: a page of events and instances. */
export const EventsPageReply = Type.Object({
  events: Type.Array(EventReply),
  nextToken: Type.Optional(Type.String({ description: 'absent on the last page' })),
});

/** listEventsInstances: the instances, one page. */
export const EventsOnlyReply = Type.Object({ events: Type.Array(EventReply) });

const ScheduleItem = Type.Object({
  status: Type.String({ description: 'BUSY or TENTATIVE' }),
  start: DateTimeOut,
  end: DateTimeOut,
});

/** getSchedule(ByMe): each person's busy spans, or `error` in-band. */
export const ScheduleReply = Type.Object({
  scheduleInformation: Type.Array(Type.Object({
    userId: Type.String({ description: 'unionId' }),
    error: Type.Optional(Type.String()),
    scheduleItems: Type.Array(ScheduleItem),
  })),
});

/** getMeetingRoomsSchedule: each room's bookings (empty: idle), or `error` in-band. */
export const RoomScheduleReply = Type.Object({
  scheduleInformation: Type.Array(Type.Object({
    roomId: Type.String(),
    error: Type.Optional(Type.String()),
    scheduleItems: Type.Array(Type.Object({
      status: Type.String({ description: 'BUSY or TENTATIVE (awaiting approval)' }),
      eventId: Type.String(),
      organizer: Type.Object({ id: Type.String({ description: 'unionId' }) }),
      start: DateTimeOut,
      end: DateTimeOut,
    })),
  })),
});

/** Stream Mode's connection request (dingtalk-stream `DWClient`): where to connect, and the one-time ticket. */
export const OpenConnectionReply = Type.Object({
  endpoint: Type.String({ description: 'ws:// URL of the stream' }),
  ticket: Type.String({ description: 'opens one connection, within 90 s' }),
});

const AclOut = Type.Object({
  aclId: Type.String(),
  privilege: Type.String({ description: 'owner, writer, reader or freeBusyReader' }),
  scope: Type.Object({ scopeType: Type.String({ description: 'user' }), userId: Type.String({ description: 'unionId' }) }),
});
/** createAcls: the entry made. */
export const AclReply = AclOut;
/** listAcls: the calendar's access list, its owner included. */
export const ListAclsReply = Type.Object({ acls: Type.Array(AclOut) });

/** signIn, checkIn: when the caller signed in (ms since the epoch). */
export const CheckInReply = Type.Object({ checkInTime: Type.Integer({ description: 'ms since the epoch' }) });
/** signOut: when the caller signed out (ms since the epoch). */
export const CheckOutReply = Type.Object({ checkOutTime: Type.Integer({ description: 'ms since the epoch' }) });

/** getSignInList: participants signed in (`checkInTime`) or not yet. */
export const SignInListReply = Type.Object({
  users: Type.Array(Type.Object({ userId: Type.String({ description: 'unionId' }), displayName: Type.String(), checkInTime: Type.Optional(Type.Integer()) })),
  nextToken: Type.Optional(Type.String({ description: 'absent on the last page' })),
});
/** getSignOutList: participants signed out (`checkOutTime`) or not yet. */
export const SignOutListReply = Type.Object({
  users: Type.Array(Type.Object({ userId: Type.String({ description: 'unionId' }), displayName: Type.String(), checkOutTime: Type.Optional(Type.Integer()) })),
  nextToken: Type.Optional(Type.String({ description: 'absent on the last page' })),
});
export const SignInLinkReply = Type.Object({ signInLink: Type.String({ description: 'URL of the sign-in page' }) });
export const SignOutLinkReply = Type.Object({ signOutLink: Type.String({ description: 'URL of the sign-out page' }) });

/** listCategories: the organization's event categories. */
export const ListCategoriesReply = Type.Object({
  categories: Type.Array(Type.Object({ openCategoryId: Type.String(), displayName: Type.String() })),
});

/** convertLegacyEventId: legacy id → event id, for the ids that convert. */
export const LegacyEventIdMapReply = Type.Object({ legacyEventIdMap: Type.Record(Type.String(), Type.String()) });
export const GenerateCaldavAccountReply = Type.Object({
  username: Type.String(), password: Type.String(), serverAddress: Type.String({ description: 'full URL of the CalDAV server' }),
});
