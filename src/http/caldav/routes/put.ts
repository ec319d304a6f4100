import type { FastifyRequest } from 'fastify';
import type { WritePreconditions } from '../../../core/caldav/calendar-object.ts';
import { putCalendarObject } from '../../../core/caldav/put-object.ts';
import { fail } from '../../../core/errors.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { calendarRefOf, requireOwnTree } from '../collections.ts';
import { actorOf, targetOf } from '../context.ts';
import { URLS } from '../paths.ts';

/** `If-Match` / `If-None-Match: *` of a write (RFC 7232 §3.1, §3.2). */
export function preconditionsOf(request: FastifyRequest): WritePreconditions {
  const ifMatch = request.headers['if-match'];
  const ifNoneMatch = request.headers['if-none-match'];
  const pre: WritePreconditions = {};
  if (typeof ifMatch === 'string' && ifMatch.trim() !== '') pre.ifMatch = ifMatch.trim();
  if (typeof ifNoneMatch === 'string') {
    if (ifNoneMatch.trim() !== '*') fail('INVALID_PARAMETER', 'If-None-Match takes only * on a write');
    pre.ifNoneMatch = true;
  }
  return pre;
}

/**
 * PUT of a calendar object (RFC 4791 §5.3.2): stored through the core (putCalendarObject), 201
 * when created, 204 when changed, with the new `ETag`; a failed `If-Match`/`If-None-Match` is
 * 412; data the core refuses is 403 with the CALDAV precondition; nothing is half-applied.
 */
export function registerPut(app: HttpApp, deps: AppDeps): void {
  for (const url of URLS) {
    app.route({
      method: 'PUT', url,
      handler: async (request, reply) => {
        const actor = actorOf(request);
        const target = targetOf(request);
        if (target.kind !== 'object') fail('CALENDAR_TYPE_INVALID', 'PUT stores calendar objects: name a resource inside a calendar collection');
        requireOwnTree(actor, target.user);
        const ics = typeof request.body === 'string' ? request.body : '';
        const pre = preconditionsOf(request);
        const ref = await calendarRefOf(deps.store.db, actor, target.segment);
        const result = await deps.store.transaction((tx) => putCalendarObject(tx, actor, ref, target.name, ics, pre, deps.clock.now()));
        return reply.code(result.created ? 201 : 204).header('ETag', result.etag).send();
      },
    });
  }
}
