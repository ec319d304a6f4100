import ICAL from 'ical.js';
import { fail } from '../errors.ts';
import type { CompFilter, ParamFilter, PropFilter, TextMatch, TimeRange } from './query-filter.ts';

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

/**
 * Whether a component satisfies a comp-filter's property and sub-component tests (RFC 4791
 * §9.7.1-§9.7.5). The comp-filter's own time-range is not tested here: the caller chose the
 * components by their stored expansion (calendar-query.ts). A comp-filter on a sub-component
 * (VALARM) matches when one of them satisfies it.
 * @throws KalendsError INVALID_PARAMETER for a time-range on a VALARM (not evaluated: the HTTP
 *   side answers CALDAV:supported-filter).
 */
export function matchesComponent(component: Component, filter: CompFilter): boolean {
  const tests: boolean[] = [];
  for (const p of filter.propFilters ?? []) tests.push(matchesProperty(component, p));
  for (const c of filter.compFilters ?? []) {
    if (c.timeRange) fail('INVALID_PARAMETER', `a time-range on ${c.name} is not supported`);
    const subs = component.getAllSubcomponents(c.name.toLowerCase());
    tests.push(c.isNotDefined ? subs.length === 0 : subs.some((s) => matchesComponent(s, c)));
  }
  if (tests.length === 0) return true;
  return filter.test === 'anyof' ? tests.some(Boolean) : tests.every(Boolean);
}

function matchesProperty(component: Component, filter: PropFilter): boolean {
  const props = component.getAllProperties(filter.name.toLowerCase());
  if (filter.isNotDefined) return props.length === 0;
  if (props.length === 0) return false;
  const one = (prop: Property) => {
    const tests: boolean[] = [];
    if (filter.textMatch) tests.push(matchesText(valueText(prop), filter.textMatch));
    if (filter.timeRange) tests.push(matchesTimeRange(prop, filter.timeRange));
    for (const p of filter.paramFilters ?? []) tests.push(matchesParam(prop, p));
    if (tests.length === 0) return true;
    return filter.test === 'anyof' ? tests.some(Boolean) : tests.every(Boolean);
  };
  return props.some(one);
}

function matchesParam(prop: Property, filter: ParamFilter): boolean {
  const value = prop.getParameter(filter.name.toLowerCase());
  if (filter.isNotDefined) return value === undefined;
  if (value === undefined) return false;
  return filter.textMatch ? matchesText(Array.isArray(value) ? value.join(',') : String(value), filter.textMatch) : true;
}

function valueText(prop: Property): string {
  return prop.getValues().map((v) => String(v)).join(',');
}

/** `i;ascii-casemap` (default): ASCII letters compared case-insensitively; `i;octet`: exactly (RFC 4790). */
export function matchesText(value: string, match: TextMatch): boolean {
  const found = match.collation === 'i;octet'
    ? value.includes(match.value)
    : asciiLower(value).includes(asciiLower(match.value));
  return match.negate ? !found : found;
}

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function matchesTimeRange(prop: Property, range: TimeRange): boolean {
  const value = prop.getFirstValue();
  if (!(value instanceof ICAL.Time)) return false;
  const at = value.toUnixTime() * 1000;
  return (range.start === undefined || at >= range.start) && (range.end === undefined || at < range.end);
}
