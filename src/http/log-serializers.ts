import type { FastifyRequest } from 'fastify';
import { SECRET_REQUEST_FIELDS } from './plugins/api-log.ts';

/**
 * A request URL with the values of secret-named query parameters (the names the API log masks
 * in request bodies: the console's sign-in link `?token=`, access tokens, OAuth codes, secrets)
 * replaced by `***`, for logs. The path and the other parameters are kept as sent.
 */
export function maskedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url.slice(at + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // an undecodable name is logged as sent
    }
    return eq >= 0 && SECRET_REQUEST_FIELDS.test(decoded) ? `${name}=***` : pair;
  });
  return `${url.slice(0, at)}?${query.join('&')}`;
}

/**
 * The request as Fastify's logger writes it (`req` of "incoming request" and of errors): the
 * fields of Fastify's own serializer, with the URL's secrets masked (maskedUrl), so a log at
 * `info` never holds the admin token of a console sign-in link.
 */
export function requestForLog(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: maskedUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
