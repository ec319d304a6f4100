import type { FastifyRequest } from 'fastify';

/**
 * Query parameters whose values are secrets: the console's sign-in link (`?token=`), and any
 * access token, OAuth code, secret or password a client puts in an address.
 */
const SECRET_QUERY = /^(token|access_token|code)$|secret|password/i;

/**
 * A request URL with the values of secret-named query parameters replaced by `***`, for logs.
 * The path and the other parameters are kept as sent.
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
    return eq >= 0 && SECRET_QUERY.test(decoded) ? `${name}=***` : pair;
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
