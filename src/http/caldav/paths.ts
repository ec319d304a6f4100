import { CALDAV_PREFIX } from './address.ts';

/**
 * What a CalDAV path names. Layout (one tree per user, the principal URL being the calendar
 * home too, as Radicale does):
 * `/caldav/` root · `/caldav/<user id>/` principal and calendar home ·
 * `/caldav/<user id>/inbox/`, `/outbox/` (RFC 6638 §2.2, §2.1), `/inbox/<name>` an iTIP message ·
 * `/caldav/<user id>/<calendar>/` a calendar collection (its id, or the name a client made it at) ·
 * `/caldav/<user id>/<calendar>/<name>` a calendar object resource.
 */
export type Target =
  | { kind: 'root' }
  | { kind: 'home'; user: string }
  | { kind: 'inbox'; user: string }
  | { kind: 'outbox'; user: string }
  | { kind: 'inboxItem'; user: string; name: string }
  | { kind: 'calendar'; user: string; segment: string }
  | { kind: 'object'; user: string; segment: string; name: string };

/** The target of a request path (query left out), or undefined for a path outside the tree. */
export function parseTarget(url: string): Target | undefined {
  const path = url.split('?')[0]!;
  if (path !== CALDAV_PREFIX && !path.startsWith(`${CALDAV_PREFIX}/`)) return undefined;
  let parts: string[];
  try {
    parts = path.slice(CALDAV_PREFIX.length).split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (parts.some((p) => p === '.' || p === '..')) return undefined;
  const [user, segment, name, ...rest] = parts;
  if (rest.length > 0) return undefined;
  if (user === undefined) return { kind: 'root' };
  if (segment === undefined) return { kind: 'home', user };
  if (name === undefined) {
    if (segment === 'inbox') return { kind: 'inbox', user };
    if (segment === 'outbox') return { kind: 'outbox', user };
    return { kind: 'calendar', user, segment };
  }
  if (segment === 'inbox') return { kind: 'inboxItem', user, name };
  if (segment === 'outbox') return undefined;
  return { kind: 'object', user, segment, name };
}

const enc = encodeURIComponent;

export const paths = {
  root: () => `${CALDAV_PREFIX}/`,
  home: (user: string) => `${CALDAV_PREFIX}/${enc(user)}/`,
  inbox: (user: string) => `${CALDAV_PREFIX}/${enc(user)}/inbox/`,
  outbox: (user: string) => `${CALDAV_PREFIX}/${enc(user)}/outbox/`,
  calendar: (user: string, segment: string) => `${CALDAV_PREFIX}/${enc(user)}/${enc(segment)}/`,
  object: (user: string, segment: string, name: string) => `${CALDAV_PREFIX}/${enc(user)}/${enc(segment)}/${enc(name)}`,
};

/**
 * The resource name of an href of a calendar-multiget or sync response within the collection
 * at `collectionPath`, or undefined for an href elsewhere. Absolute URLs are reduced to their path.
 */
export function nameInCollection(hrefValue: string, collectionPath: string): string | undefined {
  let path = hrefValue.trim();
  if (/^https?:\/\//i.test(path)) {
    try {
      path = new URL(path).pathname;
    } catch {
      return undefined;
    }
  }
  const target = parseTarget(path);
  const collection = parseTarget(collectionPath);
  if (target?.kind !== 'object' || collection?.kind !== 'calendar') return undefined;
  return target.user === collection.user && target.segment === collection.segment ? target.name : undefined;
}

/** Route URLs (under the `/caldav` prefix) of every method: the prefix itself and any path below it. */
export const URLS = ['/', '/*'] as const;
