import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp, Sandbox } from '../deps.ts';
import { isAdmin, sameToken, setAdminCookie } from '../admin/admin-auth.ts';
import { sendPage } from './render.ts';
import { MessagePage } from './views/message.tsx';
import { queryParam } from './form.ts';

/** Pages anyone may reach: the sign-in form. */
const PUBLIC_PATHS = new Set(['/console/login']);
/** DingTalk sign-in links (routes/sign-in.ts): the token in the path is the capability. */
const SIGN_IN_PAGE = /^\/console\/sign-in\/[A-Za-z0-9_-]+$/;

/**
 * What every console response carries: no caching (pages show tokens and payloads), no
 * framing, no scripts at all (the console has none), forms posting only to itself.
 */
const HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not `no-referrer`: under it Chromium sends `Origin: null` with the console's own form posts.
  'referrer-policy': 'same-origin',
};

/**
 * Guards the console: every page needs the admin token (cookie or Bearer header) unless the
 * console is open; `?token=` on a GET signs in (cookie) and drops the token from the address;
 * state-changing requests from another origin are refused.
 */
export function guardConsole(app: HttpApp, sandbox: Sandbox): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(HEADERS);
    if (request.method !== 'GET' && request.method !== 'HEAD' && !sameOrigin(request)) {
      return sendPage(reply, MessagePage, { title: 'Refused', message: 'This form was sent from another site.', bare: true }, 403);
    }
    const path = request.url.split('?')[0] ?? '';
    if (PUBLIC_PATHS.has(path) || SIGN_IN_PAGE.test(path)) return;
    const token = request.method === 'GET' ? queryParam(request.query, 'token') : '';
    if (token !== '' && sandbox.adminToken !== null) return signInByLink(reply, path, token, sandbox.adminToken);
    if (isAdmin(request, sandbox)) return;
    if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect('/console/login', 302);
    return sendPage(reply, MessagePage, { title: 'Sign in first', message: 'The console needs the admin token.', bare: true }, 401);
  });
}

/** `GET /console?token=T`: the right token sets the cookie; either way the token leaves the address bar. */
function signInByLink(reply: FastifyReply, path: string, token: string, adminToken: string): FastifyReply {
  if (!sameToken(token, adminToken)) return reply.redirect('/console/login?failed=1', 302);
  setAdminCookie(reply, adminToken);
  return reply.redirect(path, 302);
}

/**
 * A POST is same-origin when its `Origin` header is absent (older clients, curl) or names the
 * host it was sent to. Browsers send Origin on every cross-site POST, so a page elsewhere cannot
 * drive the console's forms even if the SameSite cookie were to be sent.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
