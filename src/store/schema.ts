import type { Generated } from 'kysely';

/**
 * Row types of the Kalends database, shared by the SQLite and PostgreSQL stores.
 * Times are integers of milliseconds since the Unix epoch; JSON columns hold text.
 */
export interface Database {
  tenants: { id: string; name: string };
  apps: {
    id: string;
    tenant_id: string;
    platform: string;
    /** DingTalk appKey or Feishu app_id. */
    client_id: string;
    /** scrypt hash of the app secret: `scrypt$ln=15,r=8,p=1$salt$hash` (salt, hash in hex); `scrypt$salt$hash` for N = 2^14 (src/core/auth/secrets.ts). */
    secret_hash: string;
    /** JSON array of granted scopes. */
    scopes: string;
    bot: number;
    /** Where the platform's event callbacks are POSTed; null: the app registered none. */
    event_callback_url: string | null;
    /** Feishu: sent as the envelope's `token`. */
    verification_token: string | null;
    /** Feishu: AES key seed and signing secret of pushes; null: pushes are plain and unsigned. */
    encrypt_key: string | null;
    /** DingTalk: the token callbacks are signed with (msg_signature). */
    callback_token: string | null;
    /** DingTalk: the 43-character EncodingAESKey callbacks are encrypted with. */
    aes_key: string | null;
    /** How events reach the app: `http` (POSTed to event_callback_url) or `stream` (its long connections); migration 005. */
    event_delivery: string | null;
  };
  users: {
    id: string;
    tenant_id: string;
    union_id: string;
    user_id: string | null;
    open_id: string | null;
    name: string;
    email: string | null;
    active: number;
    /** Set for the bot principal of a Feishu app (the identity of its tenant_access_token). */
    bot_app_id: string | null;
    /** The user's number: unique, never reused, given by the store (migration 004). */
    seq: Generated<number>;
  };
  chats: { id: string; tenant_id: string; chat_id: string; name: string };
  chat_members: { chat_id: string; user_id: string };
  rooms: {
    id: string; tenant_id: string; room_id: string; name: string; capacity: number | null; calendar_id: string | null;
    /** 1: bookings wait for approval (DingTalk 审批中), answered through meetingRoomRespond or the console (migration 005). */
    approval: Generated<number>;
  };
  access_tokens: {
    token_hash: string;
    app_id: string;
    user_id: string | null;
    /** `tenant` (acts as the app; DingTalk app tokens too), `app` (Feishu app_access_token), `user`. */
    kind: string;
    created_at: number;
    expires_at: number;
  };
  /** `used_at` (ms) once exchanged: a code is good for one exchange. */
  auth_codes: { code_hash: string; app_id: string; user_id: string; expires_at: number; used_at: number | null };
  /** A user's refresh token (hashed); `used_at` (ms) once redeemed: each one is good once (rotation). */
  refresh_tokens: { token_hash: string; app_id: string; user_id: string; created_at: number; expires_at: number; used_at: number | null };
  attendee_chat_members: {
    attendee_seq: number;
    event_id: string;
    user_id: string;
    partstat: string;
    updated_at: number;
  };
  push_subscriptions: {
    app_id: string;
    /** The subscribing identity (bot or user id). */
    principal_id: string;
    /** `calendar`, `event` or `acl` (Feishu calendar.subscription, calendarEvent.subscription, calendarAcl.subscription). */
    topic: string;
    /** '' for calendar-list subscriptions. */
    calendar_id: string;
    created_at: number;
  };
  calendars: {
    id: string;
    tenant_id: string;
    /** `primary`, `shared`, `subscribed` or `resource`. */
    type: string;
    owner_user_id: string | null;
    summary: string;
    description: string;
    time_zone: string;
    /** JSON: type-specific attributes (subscribe scope, managers…). */
    attributes: string;
    created_at: number;
    updated_at: number;
    deleted_at: number | null;
  };
  calendar_members: {
    calendar_id: string;
    user_id: string;
    /** `owner`, `writer`, `reader` or `free_busy_reader`. */
    role: string;
    created_at: number;
  };
  events: {
    id: string;
    tenant_id: string;
    calendar_id: string;
    organizer_id: string;
    summary: string;
    description: string;
    is_all_day: number;
    /** Timed events: start instant (ms); all-day events: null. */
    start_at: number | null;
    start_date: string | null;
    start_tz: string | null;
    end_at: number | null;
    end_date: string | null;
    end_tz: string | null;
    /** RFC 5545 RRULE value (no `RRULE:` prefix), or null. */
    recurrence: string | null;
    /** First instant the event (or its series) covers, ms; all-day dates count from 00:00 UTC. */
    range_start: number;
    /** Last instant the event (or its series) covers, ms; open-ended series: 8.64e15. */
    range_end: number;
    /** `confirmed`, `tentative` or `cancelled`. */
    status: string;
    /** JSON: the remaining event attributes (location, reminders, online meeting…). */
    details: string;
    attendee_count: number;
    /** Position in the tenant-wide change log; feeds sync tokens. */
    change_seq: number;
    /** An exception of a recurring series: the master's id (migration 005); null otherwise. */
    series_master_id: string | null;
    /** An exception's original start (ms), the occurrence it replaces; null otherwise. */
    original_start: number | null;
    created_at: number;
    updated_at: number;
    deleted_at: number | null;
  };
  attendees: {
    seq: Generated<number>;
    event_id: string;
    /** `user`, `chat`, `resource` or `third_party`. */
    kind: string;
    /** Internal user, chat or room id, or the e-mail address of a third-party attendee. */
    ref: string;
    /** A user attendee's `users.seq` (the index of a user's events is on it); null for other kinds. */
    user_seq: number | null;
    is_optional: number;
    /** RFC 5545 PARTSTAT: NEEDS-ACTION, ACCEPTED, DECLINED, TENTATIVE. */
    partstat: string;
    created_at: number;
    updated_at: number;
  };
  idempotency_keys: {
    app_id: string;
    key: string;
    request_hash: string;
    /** `processing` or `done`. */
    state: string;
    reply_status: number | null;
    reply_body: string | null;
    created_at: number;
  };
  outbox: {
    id: Generated<number>;
    tenant_id: string;
    /** What happened, e.g. `attendee.added`. */
    topic: string;
    /** How it would be delivered: `push`, `chat`, `bot`, `inbox`. */
    channel: string;
    recipient_id: string | null;
    event_id: string | null;
    payload: string;
    status: string;
    attempts: number;
    created_at: number;
  };
  change_log: {
    tenant_id: string;
    seq: number;
  };
  /** A notification as the user would have received it (DingTalk reminder or message, Feishu bot message). */
  inbox_messages: {
    id: Generated<number>;
    tenant_id: string;
    user_id: string;
    /** The app that sent it (the acting app of the change). */
    app_id: string | null;
    /** `push` (DingTalk pop-up reminder), `chat` (DingTalk work message) or `bot` (Feishu bot message). */
    kind: string;
    topic: string;
    text: string;
    event_id: string | null;
    outbox_id: number;
    created_at: number;
  };
  /** One HTTP callback to one app, with its attempts (Feishu event push, DingTalk HTTP callback). */
  deliveries: {
    id: Generated<number>;
    tenant_id: string;
    app_id: string;
    outbox_id: number | null;
    /** e.g. `calendar.calendar.event.changed_v4`, `url_verification`, `calendar_event_change`, `check_url`. */
    event_type: string;
    /** The platform's id of this callback (Feishu header.event_id), the receivers' de-duplication key. */
    event_id: string | null;
    url: string;
    /** The plaintext envelope (JSON); sealed anew for each attempt. */
    payload: string;
    /** `pending`, `sending` (claimed until next_attempt_at), `delivered` or `dead`. */
    status: string;
    attempts: number;
    next_attempt_at: number;
    /** The exact body and headers (JSON) of the last attempt. */
    sent_body: string | null;
    sent_headers: string | null;
    last_status: number | null;
    last_reply: string | null;
    last_error: string | null;
    created_at: number;
    finished_at: number | null;
    /** `http` (POSTed to `url`) or `stream` (pushed over one of the app's long connections; `url` empty); migration 005. */
    transport: Generated<string>;
  };
  /** A connection ticket (DingTalk `ticket`, Feishu URL `ticket`): opens one connection of the app before `expires_at`. */
  stream_tickets: { ticket: string; app_id: string; expires_at: number; used_at: number | null };
  /** An open long connection, held by one process (`holder`), which refreshes `seen_at`. */
  stream_connections: {
    id: string;
    tenant_id: string;
    app_id: string;
    holder: string;
    opened_at: number;
    seen_at: number;
    /** 1: the admin API asked the holder to close it. */
    close_requested: Generated<number>;
  };
  /** An injected fault: the app's next `remaining` calls of `operation` fail or are slowed. */
  faults: {
    id: Generated<number>;
    app_id: string;
    /** An SDK operation name (`addAttendee`, `calendarEventAttendee.create`), `METHOD /path/:param`, or `*`. */
    operation: string;
    /** A catalogue code rendered in the dialect's format; null: `http_status` alone decides. */
    error_code: string | null;
    /** Overrides the status of the error reply (429, 5xx). */
    http_status: number | null;
    latency_ms: number;
    remaining: number;
    created_at: number;
  };
  sandbox_settings: { key: string; value: string };
  /** An attendee's DingTalk sign-in (`in`) or sign-out (`out`) of an event, at sandbox time `at` (migration 008). */
  event_sign_ins: { event_id: string; kind: string; user_id: string; tenant_id: string; at: number };
  /** The sign-in or sign-out page of an event, named by its token (getSignInLink / getSignOutLink; migration 008). */
  event_sign_in_links: { token: string; tenant_id: string; event_id: string; kind: string; created_at: number };
  /** Every event's numeric legacy id (convertLegacyEventId), given by a trigger on insert (migration 008). */
  event_legacy_ids: { legacy_id: Generated<number>; event_id: string; tenant_id: string };
  /** An event's Feishu meeting chat (migration 009). */
  meeting_chats: { event_id: string; tenant_id: string; chat_id: string; owner_user_id: string; created_at: number };
  /** An event's Feishu minutes document (migration 009). */
  meeting_minutes: { event_id: string; tenant_id: string; doc_token: string; created_by: string; created_at: number };
  /** A Feishu Exchange binding, recorded only (migration 009); `status` as exchangeBinding.get says it. */
  exchange_bindings: {
    tenant_id: string; id: string; admin_account: string; exchange_account: string; user_id: string; status: string; created_at: number;
  };
  /** A CalDAV resource name of a calendar collection and the event it holds (migration 010-caldav-objects). */
  caldav_objects: {
    calendar_id: string;
    /** The resource name the client chose (`abc.ics`). */
    name: string;
    tenant_id: string;
    /** The event (series master) the resource holds. */
    event_id: string;
    /** The iCalendar UID the client gave. */
    uid: string;
    /** JSON: what of the client's iCalendar Kalends does not model (src/core/caldav/kept-remainder.ts). */
    kept: string;
    /** Change-log position of the row's last write. */
    version: number;
    created_at: number;
    updated_at: number;
    /** Removed from the collection by name while the event lives on (an attendee's DELETE). */
    deleted_at: number | null;
  };
  /** A CalDAV password minted for one device of a user (migration 011-caldav-accounts). */
  caldav_accounts: {
    id: string;
    tenant_id: string;
    user_id: string;
    /** The app whose generateCaldavAccount / generateCaldavConf minted it; CalDAV requests act as it. */
    app_id: string;
    device: string;
    /** The Basic auth user name, unique. */
    username: string;
    /** SHA-256 (hex) of the password. */
    password_hash: string;
    created_at: number;
    revoked_at: number | null;
  };
  /** The path segment a CalDAV client made a calendar at (MKCALENDAR), per user (migration 011-caldav-accounts). */
  caldav_collections: { user_id: string; name: string; calendar_id: string };
}
