import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { fail } from '../../core/errors.ts';

/** Namespaces of WebDAV (RFC 4918), CalDAV (RFC 4791), CalendarServer (getctag) and Apple's iCal (calendar-color). */
export const NS = {
  dav: 'DAV:',
  caldav: 'urn:ietf:params:xml:ns:caldav',
  cs: 'http://calendarserver.org/ns/',
  ical: 'http://apple.com/ns/ical/',
} as const;

const PREFIXES: Record<string, string> = { [NS.dav]: 'd', [NS.caldav]: 'c', [NS.cs]: 'cs', [NS.ical]: 'ical' };

/** An XML element with its namespace resolved: what the WebDAV handlers read. */
export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (concatenated text nodes). */
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
  trimValues: false, processEntities: true, ignoreDeclaration: true, ignorePiTags: true,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses a request body as namespaced XML (fast-xml-parser, then xmlns declarations resolved
 * per element as XML Namespaces 1.0 §6 says).
 * @throws KalendsError MALFORMED_BODY for text that is not well-formed XML or has no element,
 *   INVALID_PARAMETER for an undeclared prefix.
 */
export function parseXml(text: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) fail('MALFORMED_BODY', `the request body is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  const nodes = parser.parse(text) as Ordered[];
  const root = nodes.find((n) => elementName(n) !== undefined);
  if (!root) fail('MALFORMED_BODY', 'the request body has no XML element');
  return resolve(root, {});
}

function elementName(node: Ordered): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#comment' && !k.startsWith('?'));
}

function resolve(node: Ordered, scope: Record<string, string>): XmlElement {
  const qname = elementName(node)!;
  const rawAttrs = node[':@'] ?? {};
  const inScope = { ...scope };
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns') inScope[''] = v;
    else if (k.startsWith('xmlns:')) inScope[k.slice(6)] = v;
    else attrs[k.includes(':') ? k.slice(k.indexOf(':') + 1) : k] = v;
  }
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const ns = inScope[prefix];
  if (ns === undefined && prefix !== '') fail('INVALID_PARAMETER', `XML prefix ${prefix} is not declared`);
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[qname] as Ordered[]) ?? []) {
    if ('#text' in child) text += String(child['#text']);
    else if (elementName(child) !== undefined) children.push(resolve(child, inScope));
  }
  return { ns: ns ?? '', name: colon < 0 ? qname : qname.slice(colon + 1), attrs, children, text };
}

/** The first child element of `ns`/`name`, if any. */
export function child(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.ns === ns && c.name === name);
}

/** Every child element of `ns`/`name`. */
export function childrenOf(element: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return element?.children.filter((c) => c.ns === ns && c.name === name) ?? [];
}

/** `{ns}name`: how properties are keyed (Clark notation). */
export function clark(ns: string, name: string): string {
  return `{${ns}}${name}`;
}

/** An element to write: a namespaced name with attributes, text or children. */
export interface XmlNode {
  ns: string;
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XmlNode[];
}

export function el(ns: string, name: string, content?: string | XmlNode[], attrs?: Record<string, string>): XmlNode {
  const node: XmlNode = { ns, name };
  if (typeof content === 'string') node.text = content;
  else if (content) node.children = content;
  if (attrs) node.attrs = attrs;
  return node;
}

/** A `DAV:href` element. */
export function href(path: string): XmlNode {
  return el(NS.dav, 'href', path);
}

/** Writes a document (xmlbuilder2) whose root is `root`, the usual namespaces declared on it. */
export function writeXml(root: XmlNode): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const attrs: Record<string, string> = {};
  for (const [ns, prefix] of Object.entries(PREFIXES)) attrs[`xmlns:${prefix}`] = ns;
  const top = doc.ele(root.ns, qualified(root), attrs);
  fill(top, root);
  return doc.end({ prettyPrint: false });
}

function qualified(node: XmlNode): string {
  const prefix = PREFIXES[node.ns];
  return prefix ? `${prefix}:${node.name}` : node.name;
}

function fill(target: XMLBuilder, node: XmlNode): void {
  if (node.text !== undefined) target.txt(node.text);
  for (const c of node.children ?? []) {
    const made = PREFIXES[c.ns] ? target.ele(c.ns, qualified(c), c.attrs ?? {}) : target.ele(c.ns, c.name, c.attrs ?? {});
    fill(made, c);
  }
}
