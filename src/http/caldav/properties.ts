import type { Actor } from '../../core/actor.ts';
import type { UserRow } from '../../store/repositories/directory.ts';
import type { ObjectSummary } from '../../core/caldav/calendar-object.ts';
import { canWrite, type Collection } from './collections.ts';
import { paths } from './paths.ts';
import { syncToken } from './sync-token.ts';
import { NS, clark, el, href, type XmlNode } from './xml.ts';

/** A property's content: text or child elements. */
export type PropContent = string | XmlNode[];

/** What a PROPFIND can say about one resource: its href and its live properties by Clark name. */
export interface DescribedResource {
  href: string;
  props: Map<string, PropContent>;
}

const P = {
  resourcetype: clark(NS.dav, 'resourcetype'),
  displayname: clark(NS.dav, 'displayname'),
  currentUserPrincipal: clark(NS.dav, 'current-user-principal'),
  principalUrl: clark(NS.dav, 'principal-URL'),
  principalCollectionSet: clark(NS.dav, 'principal-collection-set'),
  owner: clark(NS.dav, 'owner'),
  privileges: clark(NS.dav, 'current-user-privilege-set'),
  reportSet: clark(NS.dav, 'supported-report-set'),
  syncToken: clark(NS.dav, 'sync-token'),
  getetag: clark(NS.dav, 'getetag'),
  getcontenttype: clark(NS.dav, 'getcontenttype'),
  homeSet: clark(NS.caldav, 'calendar-home-set'),
  addressSet: clark(NS.caldav, 'calendar-user-address-set'),
  userType: clark(NS.caldav, 'calendar-user-type'),
  inboxUrl: clark(NS.caldav, 'schedule-inbox-URL'),
  outboxUrl: clark(NS.caldav, 'schedule-outbox-URL'),
  description: clark(NS.caldav, 'calendar-description'),
  componentSet: clark(NS.caldav, 'supported-calendar-component-set'),
  contentTypes: clark(NS.caldav, 'supported-calendar-data'),
  color: clark(NS.ical, 'calendar-color'),
  ctag: clark(NS.cs, 'getctag'),
};

export const CALENDAR_DATA = clark(NS.caldav, 'calendar-data');

const collection = () => el(NS.dav, 'collection');
const privileges = (names: Array<[string, string]>) => names.map(([ns, name]) => el(NS.dav, 'privilege', [el(ns, name)]));

function principalProps(actor: Actor): Map<string, PropContent> {
  const home = paths.home(actor.userId);
  return new Map<string, PropContent>([
    [P.currentUserPrincipal, [href(home)]],
    [P.principalCollectionSet, [href(paths.root())]],
  ]);
}

/** The root `/caldav/`: where discovery lands (RFC 6764 §6) and finds the principal. */
export function describeRoot(actor: Actor): DescribedResource {
  const props = principalProps(actor);
  props.set(P.resourcetype, [collection()]);
  props.set(P.displayname, 'Kalends');
  return { href: paths.root(), props };
}

/**
 * The user's principal, also their calendar home (RFC 4791 §6.2.1, RFC 6638 §2.4.1: the
 * `mailto:` of their directory e-mail, and their principal URL, as calendar-user-address-set).
 */
export function describeHome(actor: Actor & { user: UserRow }): DescribedResource {
  const home = paths.home(actor.userId);
  const props = principalProps(actor);
  const addresses = [...(actor.user.email ? [href(`mailto:${actor.user.email}`)] : []), href(home)];
  props.set(P.resourcetype, [collection(), el(NS.dav, 'principal')]);
  props.set(P.displayname, actor.user.name);
  props.set(P.principalUrl, [href(home)]);
  props.set(P.homeSet, [href(home)]);
  props.set(P.addressSet, addresses);
  props.set(P.userType, 'INDIVIDUAL');
  props.set(P.inboxUrl, [href(paths.inbox(actor.userId))]);
  props.set(P.outboxUrl, [href(paths.outbox(actor.userId))]);
  props.set(P.owner, [href(home)]);
  props.set(P.privileges, privileges([[NS.dav, 'read'], [NS.dav, 'bind'], [NS.dav, 'unbind']]));
  props.set(P.reportSet, []);
  return { href: home, props };
}

/** The schedule inbox or outbox (RFC 6638 §2.1, §2.2). */
export function describeBox(actor: Actor, kind: 'inbox' | 'outbox'): DescribedResource {
  const path = kind === 'inbox' ? paths.inbox(actor.userId) : paths.outbox(actor.userId);
  const props = principalProps(actor);
  props.set(P.resourcetype, [collection(), el(NS.caldav, kind === 'inbox' ? 'schedule-inbox' : 'schedule-outbox')]);
  props.set(P.owner, [href(paths.home(actor.userId))]);
  props.set(P.privileges, privileges(kind === 'inbox'
    ? [[NS.dav, 'read'], [NS.caldav, 'schedule-deliver']]
    : [[NS.dav, 'read'], [NS.caldav, 'schedule-send']]));
  return { href: path, props };
}

function reports(names: Array<[string, string]>): XmlNode[] {
  return names.map(([ns, name]) => el(NS.dav, 'supported-report', [el(NS.dav, 'report', [el(ns, name)])]));
}

/** Color of a calendar (Feishu's signed ARGB integer; -1: none chosen) as `#RRGGBB`, or undefined. */
export function colorOf(value: number): string | undefined {
  if (value === -1) return undefined;
  return `#${((value >>> 0) & 0xffffff).toString(16).padStart(6, '0').toUpperCase()}`;
}

/**
 * A calendar collection (RFC 4791 §4.2, §5.2; RFC 6578 §4 sync-token; CalendarServer getctag;
 * Apple's calendar-color). Privileges follow the user's role on it (reader: read only).
 */
export function describeCalendar(actor: Actor, c: Collection, position: number): DescribedResource {
  const path = paths.calendar(actor.userId, c.segment);
  const props = principalProps(actor);
  const { row, settings } = c.view;
  props.set(P.resourcetype, [collection(), el(NS.caldav, 'calendar')]);
  props.set(P.displayname, row.summary || settings.summaryAlias || (row.type === 'primary' ? 'Calendar' : row.id));
  props.set(P.description, row.description);
  const color = colorOf(settings.color);
  if (color) props.set(P.color, color);
  props.set(P.componentSet, [el(NS.caldav, 'comp', undefined, { name: 'VEVENT' })]);
  props.set(P.contentTypes, [el(NS.caldav, 'calendar-data', undefined, { 'content-type': 'text/calendar', version: '2.0' })]);
  props.set(P.ctag, String(position));
  props.set(P.syncToken, syncToken(row.id, position));
  props.set(P.reportSet, reports([
    [NS.caldav, 'calendar-query'], [NS.caldav, 'calendar-multiget'], [NS.caldav, 'free-busy-query'], [NS.dav, 'sync-collection'],
  ]));
  const write: Array<[string, string]> = canWrite(c) ? [[NS.dav, 'write'], [NS.dav, 'write-content'], [NS.dav, 'write-properties'], [NS.dav, 'bind'], [NS.dav, 'unbind']] : [];
  props.set(P.privileges, privileges([[NS.dav, 'read'], [NS.caldav, 'read-free-busy'], ...write]));
  if (row.owner_user_id) props.set(P.owner, [href(paths.home(row.owner_user_id))]);
  return { href: path, props };
}

/** An iTIP message of the schedule inbox (RFC 6638 §4): its ETag and content type, its data when asked. */
export function describeInboxItem(actor: Actor, item: ObjectSummary, ics?: string): DescribedResource {
  const props = new Map<string, PropContent>([
    [P.resourcetype, []],
    [P.getetag, item.etag],
    [P.getcontenttype, 'text/calendar; charset=utf-8'],
  ]);
  if (ics !== undefined) props.set(CALENDAR_DATA, ics);
  return { href: `${paths.inbox(actor.userId)}${encodeURIComponent(item.name)}`, props };
}

/** A calendar object resource (RFC 4791 §4.1): its ETag and content type; calendar-data is added by the caller when asked. */
export function describeObject(actor: Actor, c: Collection, object: ObjectSummary, ics?: string): DescribedResource {
  const props = new Map<string, PropContent>([
    [P.resourcetype, []],
    [P.getetag, object.etag],
    [P.getcontenttype, 'text/calendar; charset=utf-8; component=VEVENT'],
  ]);
  if (ics !== undefined) props.set(CALENDAR_DATA, ics);
  return { href: paths.object(actor.userId, c.segment, object.name), props };
}
