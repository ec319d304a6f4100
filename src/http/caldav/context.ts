import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../core/actor.ts';
import { fail } from '../../core/errors.ts';
import type { UserRow } from '../../store/repositories/directory.ts';
import { parseTarget, type Target } from './paths.ts';
import { parseXml, type XmlElement } from './xml.ts';

/** The signed-in user of a CalDAV request, acting with the identity of the app that minted their password. */
export type CaldavActor = Actor & { user: UserRow; accountId: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the CalDAV auth hook (every method but OPTIONS). */
    caldavActor: CaldavActor | null;
  }
}

export function actorOf(request: FastifyRequest): CaldavActor {
  if (!request.caldavActor) throw new Error('CalDAV route reached without sign-in');
  return request.caldavActor;
}

/**
 * What the request path names.
 * @throws KalendsError EVENT_NOT_FOUND (404) for a path outside the tree.
 */
export function targetOf(request: FastifyRequest): Target {
  return parseTarget(request.url) ?? fail('EVENT_NOT_FOUND', `no resource at ${request.url.split('?')[0]}`);
}

/** The XML body of a request, or undefined when it has none. @throws KalendsError MALFORMED_BODY (400) for XML that is not well-formed. */
export function xmlBody(request: FastifyRequest): XmlElement | undefined {
  const body = request.body;
  if (typeof body !== 'string' || body.trim() === '') return undefined;
  return parseXml(body);
}

/** The XML body, which must be the element `ns`/`name`. @throws KalendsError MALFORMED_BODY, INVALID_PARAMETER (another element). */
export function xmlBodyOf(request: FastifyRequest, ns: string, name: string, optional: boolean): XmlElement | undefined {
  const root = xmlBody(request);
  if (!root) return optional ? undefined : fail('MALFORMED_BODY', `${request.method} needs an XML body {${ns}}${name}`);
  if (root.ns !== ns || root.name !== name) fail('INVALID_PARAMETER', `${request.method} takes {${ns}}${name}, not {${root.ns}}${root.name}`);
  return root;
}

/** The Depth header (RFC 4918 §10.2): 0 or 1 (`infinity` is answered as 1: a tree is never deeper than objects); default as given. */
export function depthOf(request: FastifyRequest, fallback: 0 | 1): 0 | 1 {
  const value = request.headers.depth;
  if (value === undefined) return fallback;
  if (value === '0') return 0;
  if (value === '1' || value === 'infinity') return 1;
  return fail('INVALID_PARAMETER', `Depth must be 0, 1 or infinity, not ${String(value)}`);
}
