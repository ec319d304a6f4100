// A CalDAV account minted through the DingTalk SDK, and raw WebDAV requests with Basic auth.
import assert from 'node:assert/strict';
import { $Calendar, calendarClient, plain, rt } from './dingtalk.ts';

export interface CaldavAccount {
  username: string;
  password: string;
  serverAddress: string;
}

/** generateCaldavAccount through `@alicloud/dingtalk` for `userId` (a unionId), with an app access token. */
export async function mintDingTalkAccount(endpoint: string, token: string, userId: string, device = 'test laptop'): Promise<CaldavAccount> {
  const res = await calendarClient(endpoint).generateCaldavAccountWithOptions(
    userId, new $Calendar.GenerateCaldavAccountRequest({ device }),
    new $Calendar.GenerateCaldavAccountHeaders({ xAcsDingtalkAccessToken: token, dingUid: '123456' }), rt(),
  );
  assert.equal(res.statusCode, 200);
  return plain<CaldavAccount>(res.body);
}

export function basic(account: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}`;
}

export interface DavReply {
  status: number;
  headers: Headers;
  text: string;
}

/** One WebDAV request (any method) with the account's Basic credentials (none when `account` is null). */
export async function dav(
  url: string, method: string, account: { username: string; password: string } | null,
  opts: { body?: string; headers?: Record<string, string> } = {},
): Promise<DavReply> {
  const headers: Record<string, string> = { ...opts.headers };
  if (account) headers.authorization = basic(account);
  if (opts.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/xml; charset=utf-8';
  const res = await fetch(url, { method, headers, body: opts.body, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export const PROPFIND_PRINCIPAL = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:current-user-principal/><c:calendar-home-set/><c:calendar-user-address-set/><d:displayname/></d:prop>
</d:propfind>`;
