/**
 * The `@larksuiteoapi/node-sdk` client path of each route (`calendar.v4.…`, `auth.v3.…`), by
 * `METHOD /open-apis/path`: how faults are aimed at an operation.
 */
const C = '/open-apis/calendar/v4/calendars';
const EVENT = `${C}/:calendar_id/events/:event_id`;
export const FEISHU_OPERATIONS: Readonly<Record<string, string>> = {
  'POST /open-apis/auth/v3/tenant_access_token/internal': 'auth.tenantAccessToken.internal',
  'POST /open-apis/auth/v3/app_access_token/internal': 'auth.appAccessToken.internal',
  'GET /open-apis/authen/v1/authorize': 'authen.authorize',
  'POST /open-apis/authen/v1/oidc/access_token': 'authen.oidcAccessToken.create',
  [`POST ${C}`]: 'calendar.create',
  [`GET ${C}`]: 'calendar.list',
  [`GET ${C}/:calendar_id`]: 'calendar.get',
  [`PATCH ${C}/:calendar_id`]: 'calendar.patch',
  [`DELETE ${C}/:calendar_id`]: 'calendar.delete',
  [`POST ${C}/primary`]: 'calendar.primary',
  [`POST ${C}/primarys`]: 'calendar.primarys',
  [`POST ${C}/mget`]: 'calendar.mget',
  [`POST ${C}/search`]: 'calendar.search',
  [`POST ${C}/:calendar_id/subscribe`]: 'calendar.subscribe',
  [`POST ${C}/:calendar_id/unsubscribe`]: 'calendar.unsubscribe',
  [`POST ${C}/subscription`]: 'calendar.subscription',
  [`POST ${C}/unsubscription`]: 'calendar.unsubscription',
  [`POST ${C}/:calendar_id/events`]: 'calendarEvent.create',
  [`GET ${C}/:calendar_id/events`]: 'calendarEvent.list',
  [`GET ${EVENT}`]: 'calendarEvent.get',
  [`PATCH ${EVENT}`]: 'calendarEvent.patch',
  [`DELETE ${EVENT}`]: 'calendarEvent.delete',
  [`POST ${EVENT}/reply`]: 'calendarEvent.reply',
  [`POST ${C}/:calendar_id/events/subscription`]: 'calendarEvent.subscription',
  [`POST ${C}/:calendar_id/events/unsubscription`]: 'calendarEvent.unsubscription',
  [`POST ${C}/:calendar_id/acls`]: 'calendarAcl.create',
  [`GET ${C}/:calendar_id/acls`]: 'calendarAcl.list',
  [`DELETE ${C}/:calendar_id/acls/:acl_id`]: 'calendarAcl.delete',
  [`POST ${C}/:calendar_id/acls/subscription`]: 'calendarAcl.subscription',
  [`POST ${C}/:calendar_id/acls/unsubscription`]: 'calendarAcl.unsubscription',
  [`POST ${EVENT}/attendees`]: 'calendarEventAttendee.create',
  [`GET ${EVENT}/attendees`]: 'calendarEventAttendee.list',
  [`POST ${EVENT}/attendees/batch_delete`]: 'calendarEventAttendee.batchDelete',
  [`GET ${EVENT}/attendees/:attendee_id/chat_members`]: 'calendarEventAttendeeChatMember.list',
};
