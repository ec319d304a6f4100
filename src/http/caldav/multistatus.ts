import type { FastifyReply } from 'fastify';
import type { DescribedResource, PropContent } from './properties.ts';
import { NS, child, clark, el, href, writeXml, type XmlElement, type XmlNode } from './xml.ts';

/** What a PROPFIND (or a REPORT's DAV:prop) asks for (RFC 4918 §14.20). */
export type PropRequest = { kind: 'allprop' } | { kind: 'propname' } | { kind: 'prop'; names: Array<{ ns: string; name: string }> };

/** The DAV:prop / allprop / propname of a request element; allprop when none is given (RFC 4918 §9.1: an empty PROPFIND is allprop). */
export function propRequestOf(element: XmlElement | undefined): PropRequest {
  const prop = child(element, NS.dav, 'prop');
  if (prop) return { kind: 'prop', names: prop.children.map((c) => ({ ns: c.ns, name: c.name })) };
  if (child(element, NS.dav, 'propname')) return { kind: 'propname' };
  return { kind: 'allprop' };
}

const STATUS: Record<number, string> = { 200: 'HTTP/1.1 200 OK', 403: 'HTTP/1.1 403 Forbidden', 404: 'HTTP/1.1 404 Not Found', 424: 'HTTP/1.1 424 Failed Dependency' };

export function statusLine(status: number): string {
  return STATUS[status] ?? `HTTP/1.1 ${status}`;
}

function splitClark(key: string): { ns: string; name: string } {
  const end = key.indexOf('}');
  return { ns: key.slice(1, end), name: key.slice(end + 1) };
}

function propElement(ns: string, name: string, content?: PropContent): XmlNode {
  return el(ns, name, content);
}

/** One DAV:response of a resource: a propstat of what was found (200) and one of what was not (404). */
export function propResponse(resource: DescribedResource, request: PropRequest): XmlNode {
  const found: XmlNode[] = [];
  const missing: XmlNode[] = [];
  if (request.kind === 'prop') {
    for (const { ns, name } of request.names) {
      const content = resource.props.get(clark(ns, name));
      if (content === undefined) missing.push(propElement(ns, name));
      else found.push(propElement(ns, name, content));
    }
  } else {
    for (const [key, content] of resource.props) {
      const { ns, name } = splitClark(key);
      found.push(propElement(ns, name, request.kind === 'propname' ? undefined : content));
    }
  }
  const propstats = [];
  if (found.length > 0 || missing.length === 0) propstats.push(el(NS.dav, 'propstat', [el(NS.dav, 'prop', found), el(NS.dav, 'status', statusLine(200))]));
  if (missing.length > 0) propstats.push(el(NS.dav, 'propstat', [el(NS.dav, 'prop', missing), el(NS.dav, 'status', statusLine(404))]));
  return el(NS.dav, 'response', [href(resource.href), ...propstats]);
}

/** A DAV:response with a status and no properties (a member gone, RFC 6578 §3.5; a multiget href not found). */
export function statusResponse(path: string, status: number): XmlNode {
  return el(NS.dav, 'response', [href(path), el(NS.dav, 'status', statusLine(status))]);
}

/** Sends 207 Multi-Status (RFC 4918 §13) with the responses (and trailing elements such as DAV:sync-token). */
export function sendMultistatus(reply: FastifyReply, responses: XmlNode[], trailing: XmlNode[] = []): FastifyReply {
  return reply.code(207).type('application/xml; charset=utf-8').send(writeXml(el(NS.dav, 'multistatus', [...responses, ...trailing])));
}
