import type { FastifyRequest } from 'fastify';
import { fail } from '../../core/errors.ts';

/**
 * Path segments that name a Feishu calendar v4 operation where a route takes an id: `GET
 * …/events/search` is not calendarEvent.get of an event called `search` but an operation
 * Feishu does not have (search is a POST), so it answers the "no operation" 404 like any
 * unknown path, never the id's error (193000 invalid event_id).
 */
const RESERVED: Readonly<Record<string, ReadonlySet<string>>> = {
  calendar_id: new Set(['primary', 'primarys', 'mget', 'search', 'subscription', 'unsubscription']),
  event_id: new Set(['search', 'instance_view', 'subscription', 'unsubscription']),
  acl_id: new Set(['subscription', 'unsubscription']),
  attendee_id: new Set(['batch_delete']),
};

/**
 * @throws KalendsError ROUTE_NOT_FOUND when a path parameter holds an operation's own segment
 *   (the route that matched is not the operation the path names).
 */
export function refuseReservedSegments(request: FastifyRequest): void {
  const params = request.params as Record<string, unknown> | undefined;
  if (!params) return;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' && RESERVED[name]?.has(value)) {
      fail('ROUTE_NOT_FOUND', `no operation ${request.method} ${request.url.split('?')[0]}`);
    }
  }
}
