import type { FastifyReply, FastifyRequest } from 'fastify';
import { signInCaldav } from '../../core/auth/caldav-accounts.ts';
import { KalendsError } from '../../core/errors.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { toKalendsError } from '../errors.ts';
import { drainRequest } from '../plugins/drain.ts';
import { nulRefused, textHoldsNul } from '../plugins/no-nul.ts';
import { CALDAV_PREFIX } from './address.ts';
import { PreconditionError, sendCaldavError, sendDavError } from './errors.ts';
import { el } from './xml.ts';
import { ALLOW, registerOptions } from './routes/options.ts';
import { registerPropfind } from './routes/propfind.ts';
import { registerProppatch } from './routes/proppatch.ts';
import { registerMkcalendar } from './routes/mkcalendar.ts';
import { registerGet } from './routes/get.ts';
import { registerPut } from './routes/put.ts';
import { registerDelete } from './routes/delete.ts';
import { registerReport } from './routes/report.ts';
import { registerPost } from './routes/post.ts';

/** WebDAV methods Fastify does not route by default, all with a body (RFC 4918 §9, RFC 4791 §5.3.1, RFC 3253 §3.6). */
const WEBDAV_METHODS = ['PROPFIND', 'PROPPATCH', 'MKCOL', 'MKCALENDAR', 'REPORT'];

/**
 * Lets the server route the WebDAV methods; call once on the root instance before the
 * CalDAV dialect is registered.
 */
export function acceptWebDavMethods(app: HttpApp): void {
  for (const method of WEBDAV_METHODS) {
    if (!app.supportedMethods.includes(method)) app.addHttpMethod(method, { hasBody: true });
  }
}

/**
 * `/.well-known/caldav` (RFC 6764 §5): every method is redirected (301) to `/caldav/`, where a
 * signed-in PROPFIND finds the user's principal.
 */
export async function registerWellKnown(app: HttpApp): Promise<void> {
  await app.register(async (scope) => {
    acceptAnyBody(scope);
    scope.route({
      method: ['GET', 'HEAD', 'PROPFIND', 'OPTIONS', 'REPORT'], url: '/.well-known/caldav',
      handler: async (_request, reply) => reply.code(301).header('Location', `${CALDAV_PREFIX}/`).send(),
    });
  });
}

/**
 * Bodies are read as text whatever their type (XML, iCalendar, or none given): each handler
 * parses its own. One holding a NUL character, which neither format allows, is refused (no-nul.ts).
 */
function acceptAnyBody(app: HttpApp): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (!textHoldsNul(body as string)) done(null, body);
    // iCalendar text (a PUT) holding one is not valid calendar data (RFC 4791 §5.3.2.1); XML, malformed.
    else if (request.method === 'PUT') done(new KalendsError('CALENDAR_DATA_INVALID', 'the calendar data holds a NUL character (U+0000)'), undefined);
    else done(nulRefused('body'), undefined);
  });
}

/**
 * The CalDAV dialect under `/caldav` (RFC 4918 WebDAV, RFC 4791 CalDAV, RFC 6578 sync, RFC
 * 6638 scheduling): Basic auth with the passwords DingTalk generateCaldavAccount and Feishu
 * generateCaldavConf mint; bodies read as text (XML or iCalendar), whatever their type; errors
 * as `DAV:error` preconditions (errors.ts).
 */
export async function caldavDialect(app: HttpApp, deps: AppDeps): Promise<void> {
  app.decorateRequest('caldavActor', null);
  acceptAnyBody(app);
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS') return;
    const { username, password } = basicCredentials(request);
    try {
      request.caldavActor = await signInCaldav(deps.store.db, username, password);
    } catch (error) {
      // A user who left cannot sign in: the same 401 as a wrong password.
      if (error instanceof KalendsError && error.code === 'USER_NOT_FOUND') throw new KalendsError('ACCESS_TOKEN_INVALID', error.message);
      throw error;
    }
    request.log = request.log.child({ caldavUser: request.caldavActor.userId, tenant: request.caldavActor.tenantId });
  });
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof PreconditionError) return sendDavError(reply, error.status, el(error.ns, error.precondition), error.message);
    const known = toKalendsError(error as Error, request);
    if (known.code === 'PAYLOAD_TOO_LARGE') await drainRequest(request);
    return sendCaldavError(reply, request, known);
  });
  // Every path under /caldav is routed for each method served: what reaches here is a method not served.
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    reply.code(405).header('Allow', ALLOW).type('text/plain; charset=utf-8').send(`${request.method} is not supported here\n`));
  for (const register of [registerOptions, registerPropfind, registerProppatch, registerMkcalendar, registerGet, registerPut, registerDelete, registerReport, registerPost]) {
    register(app, deps);
  }
}

/** The user name and password of an `Authorization: Basic` header (RFC 7617 §2), when there is one. */
function basicCredentials(request: FastifyRequest): { username?: string; password?: string } {
  const header = request.headers.authorization;
  const encoded = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1] : undefined;
  if (!encoded) return {};
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? {} : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
