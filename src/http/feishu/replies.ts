import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Success reply schemas of the Feishu Calendar v4 operations, field names as the
 * `@larksuiteoapi/node-sdk` response types give them. They document the routes (OpenAPI) and are
 * checked against real replies by test/openapi.test.ts; they never filter what is sent (app.ts
 * serializes with JSON.stringify). Extra fields are allowed.
 */

/** Feishu's success envelope `{code: 0, msg: "success", data}`. */
function envelope<T extends TSchema>(data: T) {
  return Type.Object({ code: Type.Literal(0), msg: Type.String(), data });
}

const Empty = Type.Object({});
const pageFields = {
  has_more: Type.Boolean(),
  page_token: Type.Optional(Type.String()),
};

export const EmptyDataReply = envelope(Empty);

export const TenantTokenReply = Type.Object({
  code: Type.Literal(0), msg: Type.String(),
  tenant_access_token: Type.Optional(Type.String()),
  app_access_token: Type.Optional(Type.String()),
  expire: Type.Integer({ description: 'seconds' }),
}, { description: 'auth v3 answers at the top level: tenant_access_token or app_access_token, by route' });

export const OidcTokenReply = envelope(Type.Object({
  access_token: Type.String({ description: 'a user_access_token' }),
  refresh_token: Type.String({ description: 'single use: refreshing returns a new one' }),
  token_type: Type.String(),
  expires_in: Type.Integer({ description: 'seconds' }),
  refresh_expires_in: Type.Integer({ description: 'seconds' }),
  scope: Type.String(),
}));

/** authen/v2/oauth/token answers at the top level, RFC 6749 §5.1 plus Feishu's `code`. */
export const OAuthTokenReply = Type.Object({
  code: Type.Literal(0),
  access_token: Type.String({ description: 'a user_access_token' }),
  expires_in: Type.Integer({ description: 'seconds' }),
  refresh_token: Type.String({ description: 'single use: refreshing returns a new one' }),
  refresh_token_expires_in: Type.Integer({ description: 'seconds' }),
  scope: Type.String(),
  token_type: Type.Literal('Bearer'),
});

/** An authen/v2/oauth/token refusal: `{code, error, error_description}` (RFC 6749 §5.2 plus Feishu's code). */
export const OAuthErrorReply = Type.Object({ code: Type.Integer(), error: Type.String(), error_description: Type.String() });

export const UserInfoReply = envelope(Type.Object({
  name: Type.String(),
  en_name: Type.String(),
  open_id: Type.String(),
  union_id: Type.String(),
  user_id: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  enterprise_email: Type.Optional(Type.String()),
  tenant_key: Type.String(),
}));

export const RedirectReply = Type.Null({ description: '302 to redirect_uri with `code` (and `state`)' });

const Calendar = Type.Object({
  calendar_id: Type.String(),
  summary: Type.String(),
  description: Type.String(),
  permissions: Type.String({ description: 'private, show_only_free_busy or public' }),
  color: Type.Integer(),
  type: Type.String({ description: 'primary, shared, google, resource or exchange' }),
  summary_alias: Type.String(),
  is_deleted: Type.Boolean(),
  is_third_party: Type.Boolean(),
  role: Type.String({ description: 'unknown, free_busy_reader, reader, writer or owner' }),
});

export const CalendarReply = envelope(Calendar);
export const CalendarWrappedReply = envelope(Type.Object({ calendar: Calendar }));
export const CalendarListReply = envelope(Type.Object({
  ...pageFields,
  sync_token: Type.Optional(Type.String()),
  calendar_list: Type.Array(Calendar),
}));
export const PrimaryCalendarsReply = envelope(Type.Object({
  calendars: Type.Array(Type.Object({ calendar: Calendar, user_id: Type.Optional(Type.String()) })),
}));
export const CalendarsReply = envelope(Type.Object({ calendars: Type.Array(Calendar) }));
export const CalendarSearchReply = envelope(Type.Object({ items: Type.Array(Calendar), page_token: Type.Optional(Type.String()) }));

const TimeInfo = Type.Object({
  date: Type.Optional(Type.String({ description: 'yyyy-mm-dd, all-day events' })),
  timestamp: Type.Optional(Type.String({ description: 'seconds since the epoch' })),
  timezone: Type.Optional(Type.String()),
});

const ChatMember = Type.Object({
  rsvp_status: Type.String(),
  is_optional: Type.Boolean(),
  display_name: Type.Optional(Type.String()),
  open_id: Type.Optional(Type.String({ description: "the member's id in the requested user_id_type (chat_members list)" })),
  is_organizer: Type.Boolean(),
  is_external: Type.Boolean(),
});

const Attendee = Type.Object({
  type: Type.String({ description: 'user, chat, resource or third_party' }),
  attendee_id: Type.String(),
  rsvp_status: Type.Optional(Type.String({ description: 'needs_action, accept, tentative, decline or removed' })),
  is_optional: Type.Boolean(),
  is_organizer: Type.Boolean(),
  is_external: Type.Boolean(),
  display_name: Type.Optional(Type.String()),
  user_id: Type.Optional(Type.String()),
  chat_id: Type.Optional(Type.String()),
  chat_members: Type.Optional(Type.Array(ChatMember)),
  room_id: Type.Optional(Type.String()),
  third_party_email: Type.Optional(Type.String()),
});

const Event = Type.Object({
  event_id: Type.String(),
  organizer_calendar_id: Type.String(),
  summary: Type.String(),
  description: Type.String(),
  start_time: TimeInfo,
  end_time: TimeInfo,
  vchat: Type.Unknown({ description: '{vc_type, …}' }),
  visibility: Type.String(),
  attendee_ability: Type.String(),
  free_busy_status: Type.String(),
  location: Type.Optional(Type.Object({
    name: Type.Optional(Type.String()), address: Type.Optional(Type.String()),
    latitude: Type.Optional(Type.Number()), longitude: Type.Optional(Type.Number()),
  })),
  color: Type.Integer(),
  reminders: Type.Array(Type.Object({ minutes: Type.Integer() })),
  recurrence: Type.String({ description: 'RFC 5545 RRULE, or empty' }),
  status: Type.String({ description: 'tentative, confirmed or cancelled' }),
  is_exception: Type.Boolean(),
  recurring_event_id: Type.String(),
  create_time: Type.String({ description: 'seconds since the epoch' }),
  schemas: Type.Optional(Type.Unknown()),
  attachments: Type.Optional(Type.Unknown()),
  event_check_in: Type.Optional(Type.Unknown()),
  source: Type.Optional(Type.Unknown()),
  description_rich: Type.Optional(Type.Unknown()),
  event_organizer: Type.Object({ user_id: Type.Optional(Type.String()), display_name: Type.String() }),
  self_rsvp_status: Type.Optional(Type.String()),
  attendees: Type.Optional(Type.Array(Attendee)),
  has_more_attendee: Type.Optional(Type.Boolean()),
});

export const EventWrappedReply = envelope(Type.Object({ event: Event }));
export const EventListReply = envelope(Type.Object({
  ...pageFields,
  sync_token: Type.Optional(Type.String()),
  items: Type.Array(Event),
}));

export const EventSearchReply = envelope(Type.Object({
  items: Type.Array(Event),
  page_token: Type.Optional(Type.String()),
  has_more: Type.Boolean({ description: 'beside page_token, so the SDK\'s searchWithIterator pages on' }),
}));

export const AttendeesCreatedReply = envelope(Type.Object({ attendees: Type.Array(Attendee) }));
export const AttendeeListReply = envelope(Type.Object({ ...pageFields, items: Type.Array(Attendee) }));
export const ChatMemberListReply = envelope(Type.Object({ ...pageFields, items: Type.Array(ChatMember) }));

const Acl = Type.Object({
  acl_id: Type.String(),
  role: Type.String({ description: 'free_busy_reader, reader, writer or owner' }),
  scope: Type.Object({ type: Type.String(), user_id: Type.Optional(Type.String()) }),
});
export const AclReply = envelope(Acl);
export const AclListReply = envelope(Type.Object({ ...pageFields, acls: Type.Array(Acl) }));

const Instance = Type.Object({
  event_id: Type.String({ description: '<uid>_<original start in Unix seconds>' }),
  summary: Type.String(),
  description: Type.String(),
  start_time: TimeInfo,
  end_time: TimeInfo,
  status: Type.String({ description: 'tentative, confirmed or cancelled' }),
  is_exception: Type.Boolean(),
  location: Type.Optional(Type.Unknown()),
  description_rich: Type.Optional(Type.Unknown()),
  recurring_event_id: Type.Optional(Type.String()),
  attendees: Type.Optional(Type.Array(Attendee, { description: 'meeting rooms only (instance_view)' })),
});

export const InstancesReply = envelope(Type.Object({ ...pageFields, items: Type.Array(Instance) }));
export const InstanceViewReply = envelope(Type.Object({ items: Type.Array(Instance) }));

const FreeBusyItem = Type.Object({
  start_time: Type.String({ description: 'RFC 3339' }),
  end_time: Type.String({ description: 'RFC 3339' }),
  rsvp_status: Type.Optional(Type.String({ description: 'with need_rsvp_status' })),
});

export const FreeBusyListReply = envelope(Type.Object({ freebusy_list: Type.Array(FreeBusyItem) }));
export const FreeBusyBatchReply = envelope(Type.Object({
  freebusy_lists: Type.Array(Type.Object({ user_id: Type.String(), freebusy_items: Type.Array(FreeBusyItem) })),
}));

export const TimeOffReply = envelope(Type.Object({
  timeoff_event_id: Type.String({ description: 'timeoff:…' }),
  user_id: Type.String(),
  timezone: Type.String(),
  start_time: Type.String({ description: 'Unix seconds or a date, as given' }),
  end_time: Type.String({ description: 'Unix seconds or a date, as given' }),
  title: Type.String(),
  description: Type.String(),
}));

export const MeetingChatReply = envelope(Type.Object({
  meeting_chat_id: Type.String({ description: 'oc_…' }),
  applink: Type.String({ description: "the sandbox console's page of the chat" }),
}));
export const MeetingMinuteReply = envelope(Type.Object({ doc_url: Type.String({ description: "the sandbox console's page of the minutes" }) }));

export const ExchangeBindingReply = envelope(Type.Object({
  admin_account: Type.String(),
  exchange_account: Type.String(),
  user_id: Type.String(),
  status: Type.String({ description: 'doing, cal_done, timespan_done, done or err (the sandbox: done)' }),
  exchange_binding_id: Type.String(),
}));

export const GenerateCaldavConfReply = envelope(Type.Object({
  password: Type.String(), user_name: Type.String(),
  server_address: Type.String({ description: 'full URL of the CalDAV server' }), device_name: Type.String(),
}));
