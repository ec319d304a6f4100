import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Sandbox } from '../deps.ts';

/** The cookie the console keeps the admin token in (HttpOnly, SameSite=Strict). */
export const ADMIN_COOKIE = 'kalends_admin';

/**
 * Whether a request carries the admin token: `Authorization: Bearer <token>` or the console's
 * cookie. When the console is open (`--console-open on`, loopback only), any request whose
 * `Host` is a loopback name (localhost, 127.x.x.x, [::1]).
 * Needs @fastify/cookie registered in the scope for the cookie.
 */
export function isAdmin(request: FastifyRequest, sandbox: Sandbox): boolean {
  // Open only to pages served under a loopback name: a site whose name was rebound to
  // 127.0.0.1 (DNS rebinding) would otherwise be same-origin with the console.
  if (sandbox.adminToken === null) return isLoopbackHost(request.headers.host);
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  const cookie = request.cookies?.[ADMIN_COOKIE];
  return [bearer, cookie].some((given) => given !== undefined && sameToken(given, sandbox.adminToken!));
}

/** Compares in constant time, so the token cannot be guessed from response times. */
export function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Sets the console's cookie after a good token was presented (login form or `?token=`). */
export function setAdminCookie(reply: FastifyReply, token: string): void {
  reply.setCookie(ADMIN_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict' });
}

/** Whether a `Host` header names this machine's loopback interface (with or without a port). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  return isLoopbackName(host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':')[0]!);
}

/** Whether a host name or address is this machine's loopback (localhost, 127.x.x.x, ::1). */
export function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '::1' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}
