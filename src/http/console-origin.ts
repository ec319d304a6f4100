import type { FastifyRequest } from 'fastify';

/**
 * The origin (`http://host:port`) a client reached Kalends at, for links into the console that
 * an API reply hands out (Feishu meeting chat applinks, minutes doc_url).
 */
export function consoleOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
