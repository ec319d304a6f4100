// DingTalk SDK plumbing: the official @alicloud/dingtalk clients pointed at a Kalends server.
//
// Import note: `@alicloud/dingtalk/calendar_1_0` has no type declarations, so we import the typed
// `dist/.../client.js` files. Under ESM (Node's CJS interop) the default import is `module.exports`,
// so the client class is at `.default`; the `?? mod` fallback covers loaders that unwrap it already.
import assert from 'node:assert/strict';
import CalendarModule, * as $Calendar from '@alicloud/dingtalk/dist/calendar_1_0/client.js';
import OAuthModule, * as $OAuth from '@alicloud/dingtalk/dist/oauth2_1_0/client.js';
import * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';

export { $Calendar, $OAuth, $OpenApi, $Util };

type CalendarCtor = typeof CalendarModule.default;
type OAuthCtor = typeof OAuthModule.default;
export const CalendarClient: CalendarCtor = (CalendarModule as any).default ?? (CalendarModule as any);
export const OAuthClient: OAuthCtor = (OAuthModule as any).default ?? (OAuthModule as any);
export type CalendarClientT = InstanceType<CalendarCtor>;
export type OAuthClientT = InstanceType<OAuthCtor>;

export function config(endpoint: string): $OpenApi.Config {
  return new $OpenApi.Config({ protocol: 'http', endpoint });
}
export function calendarClient(endpoint: string): CalendarClientT {
  return new CalendarClient(config(endpoint));
}
export function oauthClient(endpoint: string): OAuthClientT {
  return new OAuthClient(config(endpoint));
}
export function rt(): $Util.RuntimeOptions {
  return new $Util.RuntimeOptions({});
}

/** JSON round trip: turns SDK model instances into plain objects (for deepEqual). */
export function plain<T = any>(x: unknown): T {
  return x === undefined ? (undefined as T) : JSON.parse(JSON.stringify(x));
}

export async function getToken(endpoint: string, app: { appKey: string; appSecret: string }): Promise<string> {
  const res = await oauthClient(endpoint).getAccessToken(
    new $OAuth.GetAccessTokenRequest({ appKey: app.appKey, appSecret: app.appSecret }),
  );
  const token = res.body?.accessToken;
  assert.equal(typeof token, 'string', 'getAccessToken returned no accessToken');
  assert.ok(token!.length > 0);
  return token!;
}

export interface CallOpts {
  calendarId?: string;
  clientToken?: string;
}

export interface Reply<T = any> {
  statusCode: number | undefined;
  body: T;
}

function reply(res: { statusCode?: number; body?: unknown }): Reply {
  return { statusCode: res.statusCode, body: plain(res.body) };
}

/**
 * One acting app (token) against one server: every call goes through the SDK's `…WithOptions` form with
 * `xAcsDingtalkAccessToken` (omitted when token is undefined) and `xClientToken` when given.
 */
export class Dt {
  readonly client: CalendarClientT;
  constructor(
    readonly endpoint: string,
    readonly token: string | undefined,
  ) {
    this.client = calendarClient(endpoint);
  }

  withToken(token: string | undefined): Dt {
    return new Dt(this.endpoint, token);
  }

  private h<T>(Ctor: new (m: Record<string, unknown>) => T, clientToken?: string): T {
    const m: Record<string, unknown> = {};
    if (this.token !== undefined) m.xAcsDingtalkAccessToken = this.token;
    if (clientToken !== undefined) m.xClientToken = clientToken;
    return new Ctor(m);
  }

  async createEvent(userId: string, body: Record<string, unknown>, o: CallOpts = {}): Promise<Reply> {
    return reply(
      await this.client.createEventWithOptions(
        userId,
        o.calendarId ?? 'primary',
        new $Calendar.CreateEventRequest(body),
        this.h($Calendar.CreateEventHeaders, o.clientToken),
        rt(),
      ),
    );
  }

  async getEvent(userId: string, eventId: string, o: CallOpts & { maxAttendees?: number } = {}): Promise<Reply> {
    const req: Record<string, unknown> = {};
    if (o.maxAttendees !== undefined) req.maxAttendees = o.maxAttendees;
    return reply(
      await this.client.getEventWithOptions(
        userId,
        o.calendarId ?? 'primary',
        eventId,
        new $Calendar.GetEventRequest(req),
        this.h($Calendar.GetEventHeaders),
        rt(),
      ),
    );
  }

  async listEvents(userId: string, req: Record<string, unknown> = {}, o: CallOpts = {}): Promise<Reply> {
    return reply(
      await this.client.listEventsWithOptions(
        userId,
        o.calendarId ?? 'primary',
        new $Calendar.ListEventsRequest(req),
        this.h($Calendar.ListEventsHeaders),
        rt(),
      ),
    );
  }

  /** All events of a calendar (follows nextToken, bounded). */
  async listAllEvents(userId: string, req: Record<string, unknown> = {}, o: CallOpts = {}): Promise<any[]> {
    const out: any[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 200; page++) {
      const r = await this.listEvents(userId, nextToken ? { ...req, nextToken } : req, o);
      out.push(...((r.body?.events as any[]) ?? []));
      nextToken = r.body?.nextToken;
      if (!nextToken) return out;
    }
    throw new Error('listEvents did not finish paging after 200 pages');
  }

  async patchEvent(userId: string, eventId: string, body: Record<string, unknown>, o: CallOpts = {}): Promise<Reply> {
    return reply(
      await this.client.patchEventWithOptions(
        userId,
        o.calendarId ?? 'primary',
        eventId,
        new $Calendar.PatchEventRequest({ id: eventId, ...body }),
        this.h($Calendar.PatchEventHeaders, o.clientToken),
        rt(),
      ),
    );
  }

  async deleteEvent(userId: string, eventId: string, o: CallOpts & { pushNotification?: boolean } = {}): Promise<Reply> {
    const req: Record<string, unknown> = {};
    if (o.pushNotification !== undefined) req.pushNotification = o.pushNotification;
    return reply(
      await this.client.deleteEventWithOptions(
        userId,
        o.calendarId ?? 'primary',
        eventId,
        new $Calendar.DeleteEventRequest(req),
        this.h($Calendar.DeleteEventHeaders, o.clientToken),
        rt(),
      ),
    );
  }

  async addAttendees(
    userId: string,
    eventId: string,
    attendees: Array<string | { id: string; isOptional?: boolean }>,
    o: CallOpts & { chatNotification?: boolean; pushNotification?: boolean } = {},
  ): Promise<Reply> {
    const req: Record<string, unknown> = {
      attendeesToAdd: attendees.map((a) => (typeof a === 'string' ? { id: a, isOptional: false } : a)),
    };
    if (o.chatNotification !== undefined) req.chatNotification = o.chatNotification;
    if (o.pushNotification !== undefined) req.pushNotification = o.pushNotification;
    return reply(
      await this.client.addAttendeeWithOptions(
        userId,
        o.calendarId ?? 'primary',
        eventId,
        new $Calendar.AddAttendeeRequest(req),
        this.h($Calendar.AddAttendeeHeaders, o.clientToken),
        rt(),
      ),
    );
  }

  async removeAttendees(userId: string, eventId: string, ids: string[], o: CallOpts = {}): Promise<Reply> {
    return reply(
      await this.client.removeAttendeeWithOptions(
        userId,
        o.calendarId ?? 'primary',
        eventId,
        new $Calendar.RemoveAttendeeRequest({ attendeesToRemove: ids.map((id) => ({ id })) }),
        this.h($Calendar.RemoveAttendeeHeaders, o.clientToken),
        rt(),
      ),
    );
  }

  async listAttendees(
    userId: string,
    eventId: string,
    req: { maxResults?: number; nextToken?: string } = {},
    o: CallOpts = {},
  ): Promise<Reply> {
    return reply(
      await this.client.listAttendeesWithOptions(
        userId,
        o.calendarId ?? 'primary',
        eventId,
        new $Calendar.ListAttendeesRequest(req),
        this.h($Calendar.ListAttendeesHeaders),
        rt(),
      ),
    );
  }

  /** Every attendee, following nextToken with maxResults 500 (bounded). */
  async listAllAttendees(userId: string, eventId: string, o: CallOpts & { pageSize?: number } = {}): Promise<any[]> {
    const out: any[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const req: { maxResults: number; nextToken?: string } = { maxResults: o.pageSize ?? 500 };
      if (nextToken) req.nextToken = nextToken;
      const r = await this.listAttendees(userId, eventId, req, o);
      const items = (r.body?.attendees as any[]) ?? [];
      out.push(...items);
      nextToken = r.body?.nextToken;
      if (!nextToken) return out;
      assert.ok(items.length > 0, 'listAttendees returned an empty page with a nextToken');
    }
    throw new Error('listAttendees did not finish paging after 100 pages');
  }

  async respond(userId: string, eventId: string, responseStatus: string, o: CallOpts = {}): Promise<Reply> {
    return reply(
      await this.client.respondEventWithOptions(
        userId,
        o.calendarId ?? 'primary',
        eventId,
        new $Calendar.RespondEventRequest({ responseStatus }),
        this.h($Calendar.RespondEventHeaders, o.clientToken),
        rt(),
      ),
    );
  }

  async listCalendars(userId: string): Promise<Reply> {
    return reply(await this.client.listCalendarsWithOptions(userId, this.h($Calendar.ListCalendarsHeaders), rt()));
  }

  async subscribe(userId: string, calendarId: string): Promise<Reply> {
    return reply(
      await this.client.subscribeCalendarWithOptions(userId, calendarId, this.h($Calendar.SubscribeCalendarHeaders), rt()),
    );
  }

  async unsubscribe(userId: string, calendarId: string): Promise<Reply> {
    return reply(
      await this.client.unsubscribeCalendarWithOptions(
        userId,
        calendarId,
        this.h($Calendar.UnsubscribeCalendarHeaders),
        rt(),
      ),
    );
  }

  async createSubscribed(userId: string, body: Record<string, unknown>): Promise<Reply> {
    return reply(
      await this.client.createSubscribedCalendarWithOptions(
        userId,
        new $Calendar.CreateSubscribedCalendarRequest(body),
        this.h($Calendar.CreateSubscribedCalendarHeaders),
        rt(),
      ),
    );
  }

  async getSubscribed(userId: string, calendarId: string): Promise<Reply> {
    return reply(
      await this.client.getSubscribedCalendarWithOptions(
        userId,
        calendarId,
        this.h($Calendar.GetSubscribedCalendarHeaders),
        rt(),
      ),
    );
  }

  async updateSubscribed(userId: string, calendarId: string, body: Record<string, unknown>): Promise<Reply> {
    // Note the SDK's argument order: (calendarId, userId, …).
    return reply(
      await this.client.updateSubscribedCalendarsWithOptions(
        calendarId,
        userId,
        new $Calendar.UpdateSubscribedCalendarsRequest(body),
        this.h($Calendar.UpdateSubscribedCalendarsHeaders),
        rt(),
      ),
    );
  }

  async deleteSubscribed(userId: string, calendarId: string): Promise<Reply> {
    return reply(
      await this.client.deleteSubscribedCalendarWithOptions(
        userId,
        calendarId,
        this.h($Calendar.DeleteSubscribedCalendarHeaders),
        rt(),
      ),
    );
  }
}

/** The SDK's thrown error for a 4xx/5xx with a JSON body. */
export interface SdkError {
  code: string;
  statusCode: number;
  message: string;
  data: Record<string, unknown>;
}

/**
 * Awaits `p`, which must reject with a Tea ResponseError carrying `code` and `statusCode`; checks the
 * error body shape `{code, message, requestid}` too. Returns the error.
 */
export async function expectDtError(
  p: Promise<unknown>,
  statusCode: number,
  code: string,
  messageIncludes?: string,
): Promise<SdkError> {
  let result: unknown;
  try {
    result = await p;
  } catch (e) {
    const err = e as Partial<SdkError> & { name?: string };
    const where = `got ${err?.name ?? typeof e}: code=${String(err?.code)} statusCode=${String(err?.statusCode)} message=${String(
      err?.message,
    )}`;
    assert.equal(err?.code, code, `expected error code ${code}; ${where}`);
    assert.equal(err?.statusCode, statusCode, `expected HTTP ${statusCode}; ${where}`);
    assert.ok(err.data && typeof err.data === 'object', `error has no parsed body (data); ${where}`);
    assert.equal(typeof err.data.message, 'string', `error body has no string message; ${where}`);
    assert.equal(typeof err.data.requestid, 'string', `error body has no string requestid; ${where}`);
    if (messageIncludes !== undefined) {
      assert.ok(
        String(err.data.message).includes(messageIncludes),
        `expected error message to include ${JSON.stringify(messageIncludes)}, got ${JSON.stringify(err.data.message)}`,
      );
    }
    return err as SdkError;
  }
  assert.fail(`expected ${statusCode} ${code}, but the call succeeded with ${JSON.stringify(plain(result))?.slice(0, 500)}`);
}

/** Awaits p and returns either {ok:true, value} or {ok:false, error}. */
export async function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: any }> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Raw HTTP (for the bad-input sweep and the request examples written verbatim in the seeds)

export interface RawResponse {
  status: number;
  text: string;
  json: any;
  jsonError: string | null;
  contentType: string | null;
}

export async function raw(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; clientToken?: string; body?: string | Buffer | object; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.token !== undefined) headers['x-acs-dingtalk-access-token'] = opts.token;
  if (opts.clientToken !== undefined) headers['x-client-token'] = opts.clientToken;
  let body: string | Uint8Array | undefined;
  if (opts.body !== undefined) {
    body =
      typeof opts.body === 'string'
        ? opts.body
        : Buffer.isBuffer(opts.body)
          ? new Uint8Array(opts.body.buffer, opts.body.byteOffset, opts.body.byteLength)
          : JSON.stringify(opts.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  const res = await fetch(baseUrl + path, { method, headers, body: body as any });
  const text = await res.text();
  let json: any = undefined;
  let jsonError: string | null = null;
  try {
    json = JSON.parse(text);
  } catch (e) {
    jsonError = String(e);
  }
  return { status: res.status, text, json, jsonError, contentType: res.headers.get('content-type') };
}

/** An error reply must be JSON `{code, message, requestid}` (all strings) and never a 5xx. */
export function assertErrorShape(res: RawResponse, label: string): void {
  assert.ok(res.status < 500, `${label}: got HTTP ${res.status} (a 5xx for a client's mistake): ${res.text.slice(0, 300)}`);
  assert.equal(res.jsonError, null, `${label}: error body is not JSON (HTTP ${res.status}): ${res.text.slice(0, 300)}`);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `${label}: error body is not an object`);
  for (const k of ['code', 'message', 'requestid']) {
    assert.equal(
      typeof res.json[k],
      'string',
      `${label}: error body field ${k} is not a string (HTTP ${res.status}): ${res.text.slice(0, 300)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

/** The createEvent body of seed 004, with real ids. */
export function seedEventBody(attendeeId: string): Record<string, unknown> {
  return {
    summary: 'New Event',
    description: 'This is a newly created event',
    start: { date: '2022-09-07' },
    end: { date: '2022-09-07' },
    isAllDay: true,
    recurrence: {
      pattern: { type: 'daily', interval: 1 },
      range: { type: 'numbered', numberOfOccurrences: 1 },
    },
    attendees: [{ id: attendeeId, isOptional: false }],
    location: { displayName: 'Tower A, 9F' },
    reminders: [{ method: 'dingtalk', minutes: 15 }],
    onlineMeetingInfo: { type: 'dingtalk' },
    extra: { noChatNotification: 'false', noPushNotification: 'false' },
  };
}

/** A plain timed event. */
export function timedEventBody(summary: string, attendees: string[] = []): Record<string, unknown> {
  return {
    summary,
    start: { dateTime: '2031-03-04T10:00:00+08:00', timeZone: 'Asia/Shanghai' },
    end: { dateTime: '2031-03-04T11:00:00+08:00', timeZone: 'Asia/Shanghai' },
    attendees: attendees.map((id) => ({ id, isOptional: false })),
  };
}

let uniq = 0;
export function uniqueToken(prefix = 'ct'): string {
  uniq += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${uniq}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Ids of attendees in list order. */
export function ids(attendees: any[]): string[] {
  return attendees.map((a) => a.id);
}
