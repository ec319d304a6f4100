import { Type, type Static } from '@sinclair/typebox';

/** Request schemas of the Feishu Calendar v4 operations, as `@larksuiteoapi/node-sdk` types them. */

export const UserIdType = Type.Union([Type.Literal('open_id'), Type.Literal('union_id'), Type.Literal('user_id')]);
export type UserIdTypeValue = Static<typeof UserIdType>;

export const TokenBody = Type.Object({ app_id: Type.String(), app_secret: Type.String() });
export const OidcBody = Type.Object({ grant_type: Type.String(), code: Type.String() });
export const AuthorizeQuery = Type.Object({
  app_id: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  redirect_uri: Type.String({ minLength: 1 }),
  state: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  /** The sandbox's shortcut past the consent page: the open_id, union_id or user_id to sign in as. */
  login_hint: Type.Optional(Type.String({ minLength: 1 })),
});
/** authen/v1/oidc/refresh_access_token. */
export const OidcRefreshBody = Type.Object({ grant_type: Type.String(), refresh_token: Type.String() });
/**
 * authen/v2/oauth/token (RFC 6749 §4.1.3, §6): every field optional here so that a missing one
 * is answered as the endpoint does (20001 invalid_request), not with a calendar error.
 */
export const OAuthTokenBody = Type.Object({
  grant_type: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  refresh_token: Type.Optional(Type.String()),
  redirect_uri: Type.Optional(Type.String()),
  code_verifier: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
});

export const CalendarParams = Type.Object({ calendar_id: Type.String() });
export const EventParams = Type.Object({ calendar_id: Type.String(), event_id: Type.String() });
export const AttendeeParams = Type.Object({ calendar_id: Type.String(), event_id: Type.String(), attendee_id: Type.String() });

export const IdTypeQuery = Type.Object({ user_id_type: Type.Optional(UserIdType), op_user_id: Type.Optional(Type.String()) });
export const PageQuery = Type.Object({
  page_size: Type.Optional(Type.Integer({ minimum: 1 })),
  page_token: Type.Optional(Type.String()),
  user_id_type: Type.Optional(UserIdType),
  op_user_id: Type.Optional(Type.String()),
});

const Permissions = Type.Union([Type.Literal('private'), Type.Literal('show_only_free_busy'), Type.Literal('public')]);
export const CalendarBody = Type.Object({
  summary: Type.Optional(Type.String({ maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  permissions: Type.Optional(Permissions),
  color: Type.Optional(Type.Integer()),
  summary_alias: Type.Optional(Type.String({ maxLength: 255 })),
});
export type CalendarBody = Static<typeof CalendarBody>;

/** calendar.list: page_size 50–1000 (default 500), a validation rule of calendar/list: outside it is refused. */
export const CalendarListQuery = Type.Object({
  page_size: Type.Optional(Type.Integer({ minimum: 50, maximum: 1000 })),
  page_token: Type.Optional(Type.String()),
  sync_token: Type.Optional(Type.String()),
});
export const MgetBody = Type.Object({ calendar_ids: Type.Array(Type.String(), { minItems: 1, maxItems: 10 }) });
export const PrimarysBody = Type.Object({ user_ids: Type.Array(Type.String(), { minItems: 1, maxItems: 10 }) });
export const SearchBody = Type.Object({ query: Type.String({ minLength: 1, maxLength: 200 }) });
export const SearchQuery = Type.Object({
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  page_token: Type.Optional(Type.String()),
});

export const TimeInfo = Type.Object({
  date: Type.Optional(Type.String()),
  timestamp: Type.Optional(Type.String()),
  timezone: Type.Optional(Type.String()),
});
export type TimeInfo = Static<typeof TimeInfo>;

const eventFields = {
  summary: Type.Optional(Type.String({ maxLength: 1000 })),
  description: Type.Optional(Type.String({ maxLength: 40960 })),
  need_notification: Type.Optional(Type.Boolean()),
  start_time: Type.Optional(TimeInfo),
  end_time: Type.Optional(TimeInfo),
  vchat: Type.Optional(Type.Object({}, { additionalProperties: true })),
  visibility: Type.Optional(Type.Union([Type.Literal('default'), Type.Literal('public'), Type.Literal('private')])),
  attendee_ability: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('can_see_others'), Type.Literal('can_invite_others'), Type.Literal('can_modify_event')])),
  free_busy_status: Type.Optional(Type.Union([Type.Literal('busy'), Type.Literal('free')])),
  location: Type.Optional(Type.Object({
    name: Type.Optional(Type.String()), address: Type.Optional(Type.String()),
    latitude: Type.Optional(Type.Number()), longitude: Type.Optional(Type.Number()),
  })),
  color: Type.Optional(Type.Integer()),
  reminders: Type.Optional(Type.Array(Type.Object({ minutes: Type.Integer({ minimum: -20160, maximum: 20160 }) }))),
  recurrence: Type.Optional(Type.String()),
  schemas: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  attachments: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  event_check_in: Type.Optional(Type.Object({}, { additionalProperties: true })),
  source: Type.Optional(Type.String()),
  description_rich: Type.Optional(Type.String()),
};

export const CreateEventBody = Type.Object({ ...eventFields, start_time: TimeInfo, end_time: TimeInfo });
export type CreateEventBody = Static<typeof CreateEventBody>;
export const PatchEventBody = Type.Object(eventFields);
export type PatchEventBody = Static<typeof PatchEventBody>;

export const CreateEventQuery = Type.Object({ idempotency_key: Type.Optional(Type.String()), user_id_type: Type.Optional(UserIdType) });
export const GetEventQuery = Type.Object({
  need_meeting_settings: Type.Optional(Type.Boolean()),
  need_attendee: Type.Optional(Type.Boolean()),
  max_attendee_num: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  user_id_type: Type.Optional(UserIdType),
  op_user_id: Type.Optional(Type.String()),
});
/** calendarEvent.list: page_size 50–1000 (default 500, "取值范围为[50, 1000]"), refused outside. */
export const ListEventsQuery = Type.Object({
  page_size: Type.Optional(Type.Integer({ minimum: 50, maximum: 1000 })),
  anchor_time: Type.Optional(Type.String({ pattern: '^\\d+$' })),
  page_token: Type.Optional(Type.String()),
  sync_token: Type.Optional(Type.String()),
  start_time: Type.Optional(Type.String({ pattern: '^\\d+$' })),
  end_time: Type.Optional(Type.String({ pattern: '^\\d+$' })),
  user_id_type: Type.Optional(UserIdType),
  op_user_id: Type.Optional(Type.String()),
});
export const DeleteEventQuery = Type.Object({ need_notification: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) });
export const ReplyBody = Type.Object({ rsvp_status: Type.String() });

const AttendeeType = Type.String();
export const AttendeeIn = Type.Object({
  type: Type.Optional(AttendeeType),
  is_optional: Type.Optional(Type.Boolean()),
  user_id: Type.Optional(Type.String()),
  chat_id: Type.Optional(Type.String()),
  room_id: Type.Optional(Type.String()),
  third_party_email: Type.Optional(Type.String()),
  operate_id: Type.Optional(Type.String()),
  resource_customization: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  approval_reason: Type.Optional(Type.String()),
});
export type AttendeeIn = Static<typeof AttendeeIn>;

export const CreateAttendeesBody = Type.Object({
  attendees: Type.Array(AttendeeIn),
  need_notification: Type.Optional(Type.Boolean()),
  instance_start_time_admin: Type.Optional(Type.String()),
  is_enable_admin: Type.Optional(Type.Boolean()),
  add_operator_to_attendee: Type.Optional(Type.Boolean()),
});

export const BatchDeleteBody = Type.Object({
  attendee_ids: Type.Optional(Type.Array(Type.String())),
  delete_ids: Type.Optional(Type.Array(Type.Object({
    type: Type.Optional(AttendeeType),
    user_id: Type.Optional(Type.String()),
    chat_id: Type.Optional(Type.String()),
    room_id: Type.Optional(Type.String()),
    third_party_email: Type.Optional(Type.String()),
  }))),
  need_notification: Type.Optional(Type.Boolean()),
  instance_start_time_admin: Type.Optional(Type.String()),
  is_enable_admin: Type.Optional(Type.Boolean()),
});

export const ListAttendeesQuery = Type.Object({
  user_id_type: Type.Optional(UserIdType),
  need_resource_customization: Type.Optional(Type.Boolean()),
  page_token: Type.Optional(Type.String()),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  op_user_id: Type.Optional(Type.String()),
});

export const AclParams = Type.Object({ calendar_id: Type.String(), acl_id: Type.String() });
export const AclBody = Type.Object({
  role: Type.Union([Type.Literal('free_busy_reader'), Type.Literal('reader'), Type.Literal('writer'), Type.Literal('owner')]),
  scope: Type.Object({ type: Type.Literal('user'), user_id: Type.String({ minLength: 1 }) }),
});
export type AclBody = Static<typeof AclBody>;
/** calendarAcl.list: page_size at most 50, default 10; under 10 is taken as 10 (the route clamps). */
export const AclListQuery = Type.Object({
  user_id_type: Type.Optional(UserIdType),
  page_token: Type.Optional(Type.String()),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});

/** calendarEvent.instances: the window in Unix seconds (required), `page_size` 10–500 (default 50). */
export const InstancesQuery = Type.Object({
  start_time: Type.String({ pattern: '^\\d{1,12}$' }),
  end_time: Type.String({ pattern: '^\\d{1,12}$' }),
  page_size: Type.Optional(Type.Integer({ minimum: 10, maximum: 500 })),
  page_token: Type.Optional(Type.String()),
});

/** calendarEvent.instanceView: the window in Unix seconds (required, under 40 days). */
export const InstanceViewQuery = Type.Object({
  start_time: Type.String({ pattern: '^\\d{1,12}$' }),
  end_time: Type.String({ pattern: '^\\d{1,12}$' }),
  user_id_type: Type.Optional(UserIdType),
});

const FreeBusyCommon = {
  time_min: Type.String(),
  time_max: Type.String(),
  include_external_calendar: Type.Optional(Type.Boolean()),
  only_busy: Type.Optional(Type.Boolean()),
  need_rsvp_status: Type.Optional(Type.Boolean()),
};
/** freebusy.list: one user (`user_id`) or one meeting room (`room_id`). */
export const FreeBusyListBody = Type.Object({ ...FreeBusyCommon, user_id: Type.Optional(Type.String()), room_id: Type.Optional(Type.String()) });
/** freebusy.batch: 1–10 users. */
export const FreeBusyBatchBody = Type.Object({ ...FreeBusyCommon, user_ids: Type.Array(Type.String()) });
export const UserIdTypeQuery = Type.Object({ user_id_type: Type.Optional(UserIdType) });

/** timeoffEvent.create: Unix seconds or dates (one kind for both), the user in user_id_type. */
export const TimeOffBody = Type.Object({
  user_id: Type.String({ minLength: 1 }),
  timezone: Type.String({ minLength: 1 }),
  start_time: Type.String({ minLength: 1 }),
  end_time: Type.String({ minLength: 1 }),
  title: Type.Optional(Type.String({ maxLength: 255 })),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
});
export const TimeOffParams = Type.Object({ timeoff_event_id: Type.String() });

/** calendarEvent.search: `page_size` 1–50 (default 20), the caller's `user_id_type`. */
export const EventSearchQuery = Type.Object({
  user_id_type: Type.Optional(UserIdType),
  page_token: Type.Optional(Type.String()),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});
/** calendarEvent.search: words (up to 200 characters) and a filter, all optional within it. */
export const EventSearchBody = Type.Object({
  query: Type.String({ maxLength: 200 }),
  filter: Type.Optional(Type.Object({
    start_time: Type.Optional(TimeInfo),
    end_time: Type.Optional(TimeInfo),
    user_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
    room_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
    chat_ids: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })),
  })),
});

/** calendarEventMeetingChat.delete: the chat to unbind. */
export const MeetingChatDeleteQuery = Type.Object({ meeting_chat_id: Type.String({ minLength: 1 }) });

/** exchangeBinding.create: the Exchange admin account, the account to bind, and the user (in user_id_type). */
export const ExchangeBindingBody = Type.Object({
  admin_account: Type.String({ minLength: 1, maxLength: 500 }),
  exchange_account: Type.String({ minLength: 1, maxLength: 500 }),
  user_id: Type.String({ minLength: 1 }),
});
export const ExchangeBindingParams = Type.Object({ exchange_binding_id: Type.String({ minLength: 1 }) });
/** setting.generate_caldav_conf's body: `device_name`, optional, at most 100 characters. */
export const GenerateCaldavConfBody = Type.Object({ device_name: Type.Optional(Type.String({ maxLength: 100 })) });
