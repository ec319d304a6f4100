import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** `--public-url`: the origin clients reach the server at, or null (the request's own). */
    publicUrl: string | null;
  }
}

/** Where the CalDAV dialect is mounted. */
export const CALDAV_PREFIX = '/caldav';

/**
 * The URL a CalDAV client is given (DingTalk `serverAddress`, Feishu `server_address`): the
 * configured `--public-url`, else scheme, host and port of the request that minted it (its `Host` header; the port written out even
 * when it is the scheme's default, so the value can be pasted as is), then `/caldav/`.
 * Clients discover the rest from there (RFC 6764 §5: `/.well-known/caldav` redirects here).
 */
export function caldavServerAddress(request: FastifyRequest): string {
  if (request.server.publicUrl) return `${request.server.publicUrl}${CALDAV_PREFIX}/`;
  const scheme = request.protocol;
  const port = request.port ?? (scheme === 'https' ? 443 : 80);
  const host = request.hostname.includes(':') && !request.hostname.startsWith('[') ? `[${request.hostname}]` : request.hostname;
  return `${scheme}://${host}:${port}${CALDAV_PREFIX}/`;
}
