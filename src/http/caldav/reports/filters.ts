import type { CalendarDataOptions, CompFilter, ParamFilter, PropFilter, TextMatch, TimeRange } from '../../../core/caldav/query-filter.ts';
import { PreconditionError } from '../errors.ts';
import { NS, child, childrenOf, type XmlElement } from '../xml.ts';

/** An iCalendar UTC date-time (RFC 5545 §3.3.5 form 2, `20060104T000000Z`) as ms; RFC 4791 §9.9 requires UTC here. */
export function utcTime(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
  if (Number.isNaN(ms)) throw new PreconditionError(403, NS.caldav, 'valid-filter', `${what} must be a UTC date-time like 20060104T000000Z, not ${value}`);
  return ms;
}

/** A CALDAV:time-range element (RFC 4791 §9.9): start and/or end. */
export function timeRangeOf(element: XmlElement | undefined): TimeRange | undefined {
  if (!element) return undefined;
  const range: TimeRange = {};
  const start = utcTime(element.attrs.start, 'time-range start');
  const end = utcTime(element.attrs.end, 'time-range end');
  if (start === undefined && end === undefined) throw new PreconditionError(403, NS.caldav, 'valid-filter', 'time-range needs start or end');
  if (start !== undefined) range.start = start;
  if (end !== undefined) range.end = end;
  return range;
}

function testOf(element: XmlElement): 'allof' | 'anyof' | undefined {
  const test = element.attrs.test;
  if (test === undefined) return undefined;
  if (test !== 'allof' && test !== 'anyof') throw new PreconditionError(403, NS.caldav, 'valid-filter', `test must be allof or anyof, not ${test}`);
  return test;
}

function textMatchOf(element: XmlElement | undefined): TextMatch | undefined {
  if (!element) return undefined;
  const collation = element.attrs.collation;
  if (collation !== undefined && collation !== 'i;ascii-casemap' && collation !== 'i;octet') {
    throw new PreconditionError(403, NS.caldav, 'supported-collation', `collation ${collation} is not supported (i;ascii-casemap, i;octet)`);
  }
  const match: TextMatch = { value: element.text };
  if (collation) match.collation = collation;
  if (element.attrs['negate-condition'] === 'yes') match.negate = true;
  return match;
}

function paramFilterOf(element: XmlElement): ParamFilter {
  const filter: ParamFilter = { name: nameOf(element) };
  if (child(element, NS.caldav, 'is-not-defined')) filter.isNotDefined = true;
  const text = textMatchOf(child(element, NS.caldav, 'text-match'));
  if (text) filter.textMatch = text;
  return filter;
}

function propFilterOf(element: XmlElement): PropFilter {
  const filter: PropFilter = { name: nameOf(element) };
  if (child(element, NS.caldav, 'is-not-defined')) filter.isNotDefined = true;
  const range = timeRangeOf(child(element, NS.caldav, 'time-range'));
  if (range) filter.timeRange = range;
  const text = textMatchOf(child(element, NS.caldav, 'text-match'));
  if (text) filter.textMatch = text;
  const params = childrenOf(element, NS.caldav, 'param-filter').map(paramFilterOf);
  if (params.length > 0) filter.paramFilters = params;
  const test = testOf(element);
  if (test) filter.test = test;
  return filter;
}

function nameOf(element: XmlElement): string {
  const name = element.attrs.name;
  if (!name) throw new PreconditionError(403, NS.caldav, 'valid-filter', `${element.name} needs a name`);
  return name.toUpperCase();
}

/** A CALDAV:comp-filter element (RFC 4791 §9.7.1) and what it holds. */
export function compFilterOf(element: XmlElement): CompFilter {
  const filter: CompFilter = { name: nameOf(element) };
  if (child(element, NS.caldav, 'is-not-defined')) filter.isNotDefined = true;
  const range = timeRangeOf(child(element, NS.caldav, 'time-range'));
  if (range) filter.timeRange = range;
  const props = childrenOf(element, NS.caldav, 'prop-filter').map(propFilterOf);
  if (props.length > 0) filter.propFilters = props;
  const comps = childrenOf(element, NS.caldav, 'comp-filter').map(compFilterOf);
  if (comps.length > 0) filter.compFilters = comps;
  const test = testOf(element);
  if (test) filter.test = test;
  return filter;
}

/** The CALDAV:filter of a calendar-query (RFC 4791 §9.7): exactly one comp-filter, on VCALENDAR. */
export function queryFilterOf(report: XmlElement): CompFilter {
  const filter = child(report, NS.caldav, 'filter');
  const top = childrenOf(filter, NS.caldav, 'comp-filter');
  if (top.length !== 1 || top[0]!.attrs.name?.toUpperCase() !== 'VCALENDAR') {
    throw new PreconditionError(403, NS.caldav, 'valid-filter', 'a calendar-query filter holds one comp-filter named VCALENDAR');
  }
  return compFilterOf(top[0]!);
}

/** CALDAV:expand and limit-recurrence-set of the calendar-data a REPORT's DAV:prop asks for (RFC 4791 §9.6.5, §9.6.6). */
export function dataOptionsOf(report: XmlElement): CalendarDataOptions {
  const data = child(child(report, NS.dav, 'prop'), NS.caldav, 'calendar-data');
  const options: CalendarDataOptions = {};
  for (const [key, name] of [['expand', 'expand'], ['limitRecurrenceSet', 'limit-recurrence-set']] as const) {
    const element = child(data, NS.caldav, name);
    if (!element) continue;
    const start = utcTime(element.attrs.start, `${name} start`);
    const end = utcTime(element.attrs.end, `${name} end`);
    if (start === undefined || end === undefined) throw new PreconditionError(403, NS.caldav, 'valid-filter', `${name} needs start and end`);
    options[key] = { start, end };
  }
  return options;
}
