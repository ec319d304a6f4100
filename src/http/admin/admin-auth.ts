import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Sandbox } from '../deps.ts';

/** The cookie the console keeps the admin token in (HttpOnly, SameSite=Strict). */
export const ADMIN_COOKIE = 'kalends_admin';

/**
 * Whether a request carries the admin token: `Authorization: Bearer <token>` or the console's
 * cookie. Always true when the console is open (`--console-open on`, loopback only).
 * Needs @fastify/cookie registered in the scope for the cookie.
 */
export function isAdmin(request: FastifyRequest, sandbox: Sandbox): boolean {
  if (sandbox.adminToken === null) return true;
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
