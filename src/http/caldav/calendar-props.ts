import type { CalendarInput } from '../../core/calendars/manage-calendars.ts';
import { NS, child, clark, type XmlElement } from './xml.ts';

/** Properties a client may set on a calendar: its name, description and colour (RFC 4918, RFC 4791 §5.2.1, Apple's calendar-color). */
export const SETTABLE = new Set([clark(NS.dav, 'displayname'), clark(NS.caldav, 'calendar-description'), clark(NS.ical, 'calendar-color')]);

/** Set only at creation (MKCALENDAR): accepted, not kept (Kalends calendars hold VEVENTs; times carry their own zones). */
export const CREATION_ONLY = new Set([clark(NS.caldav, 'supported-calendar-component-set'), clark(NS.caldav, 'calendar-timezone'), clark(NS.dav, 'resourcetype')]);

/**
 * A `#RRGGBB` or `#RRGGBBAA` colour as Feishu's signed ARGB integer (opaque), or undefined for
 * another form.
 */
export function colorValue(text: string): number | undefined {
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(text.trim());
  return m ? (0xff000000 | parseInt(m[1]!, 16)) | 0 : undefined;
}

/** Applies one property of a DAV:set (value) or DAV:remove (no value) to a calendar change; false when it cannot be. */
export function applyProperty(input: CalendarInput, prop: XmlElement, remove: boolean): boolean {
  const key = clark(prop.ns, prop.name);
  if (key === clark(NS.dav, 'displayname')) input.summary = remove ? '' : prop.text.trim();
  else if (key === clark(NS.caldav, 'calendar-description')) input.description = remove ? '' : prop.text;
  else if (key === clark(NS.ical, 'calendar-color')) {
    const color = remove ? -1 : colorValue(prop.text);
    if (color === undefined) return false;
    input.color = color;
  } else return false;
  return true;
}

/** The DAV:prop elements of the DAV:set children of an element (MKCALENDAR, extended MKCOL, PROPPATCH). */
export function setProps(element: XmlElement | undefined): XmlElement[] {
  return (element?.children ?? []).filter((c) => c.ns === NS.dav && c.name === 'set').flatMap((s) => child(s, NS.dav, 'prop')?.children ?? []);
}
