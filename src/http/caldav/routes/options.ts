import type { AppDeps, HttpApp } from '../../deps.ts';
import { URLS } from '../paths.ts';

/** Methods served under /caldav (the `Allow` header). */
export const ALLOW = 'OPTIONS, GET, HEAD, POST, PUT, DELETE, PROPFIND, PROPPATCH, REPORT, MKCALENDAR, MKCOL';

/**
 * OPTIONS (RFC 4918 §18, RFC 4791 §5.1, RFC 6638 §2, RFC 5689 §3): the compliance classes in
 * `DAV`; no sign-in needed (clients probe before they authenticate).
 */
export function registerOptions(app: HttpApp, _deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: 'OPTIONS', url,
      handler: async (_request, reply) => reply.code(200)
        .header('DAV', '1, 3, calendar-access, calendar-auto-schedule, extended-mkcol')
        .header('Allow', ALLOW)
        .send(),
    });
  }
}
