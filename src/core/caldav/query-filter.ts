/**
 * A parsed CALDAV:filter (RFC 4791 §9.7) and the calendar-data options of a REPORT
 * (§9.6.5 expand, §9.6.6 limit-recurrence-set), as the HTTP side hands them to
 * queryCalendarObjects. Times are ms since the epoch (UTC); an open end is undefined.
 */

/** `CALDAV:time-range` (§9.9): overlaps [start, end); either bound may be absent. */
export interface TimeRange {
  start?: number;
  end?: number;
}

/**
 * `CALDAV:text-match` (§9.7.5): substring match with the `i;ascii-casemap` collation (default,
 * case-insensitive in ASCII) or `i;octet` (exact); `negate` for `negate-condition="yes"`.
 */
export interface TextMatch {
  value: string;
  collation?: 'i;ascii-casemap' | 'i;octet';
  negate?: boolean;
}

/** `CALDAV:param-filter` (§9.7.3): a parameter of a property is defined / undefined / matches. */
export interface ParamFilter {
  name: string;
  isNotDefined?: boolean;
  textMatch?: TextMatch;
}

/** `CALDAV:prop-filter` (§9.7.2), e.g. on SUMMARY, DESCRIPTION, LOCATION, CATEGORIES, UID, ATTENDEE. */
export interface PropFilter {
  name: string;
  isNotDefined?: boolean;
  timeRange?: TimeRange;
  textMatch?: TextMatch;
  paramFilters?: ParamFilter[];
  /** `test="anyof"` (default `allof`) over its children. */
  test?: 'allof' | 'anyof';
}

/** `CALDAV:comp-filter` (§9.7.1): the top one names VCALENDAR, its children VEVENT (and VALARM within). */
export interface CompFilter {
  name: string;
  isNotDefined?: boolean;
  timeRange?: TimeRange;
  propFilters?: PropFilter[];
  compFilters?: CompFilter[];
  test?: 'allof' | 'anyof';
}

/** What a calendar-query / calendar-multiget asks of each object's data. */
export interface CalendarDataOptions {
  /** `CALDAV:expand` (§9.6.5): the instances in this range as separate VEVENTs, RECURRENCE-ID in UTC, no RRULE/EXDATE, times in UTC. */
  expand?: { start: number; end: number };
  /** `CALDAV:limit-recurrence-set` (§9.6.6): the master plus only the overrides that overlap this range. */
  limitRecurrenceSet?: { start: number; end: number };
}
