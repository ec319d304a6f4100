import { fail } from '../../core/errors.ts';
import { parseRrule } from '../../core/recurrence/rrule.ts';
import { parseIsoDate, parseIsoDateTime } from '../../core/time/zoned.ts';

/**
 * DingTalk's recurrence object (the shape of MS Graph's patternedRecurrence, as the SDK models
 * it): `pattern{type, interval, daysOfWeek, dayOfMonth, index, firstDayOfWeek}` and
 * `range{type, endDate, numberOfOccurrences}`.
 */
export interface DingTalkRecurrence {
  pattern?: { type?: string; interval?: number; daysOfWeek?: string; dayOfMonth?: number; index?: string; firstDayOfWeek?: string };
  range?: { type?: string; endDate?: string; numberOfOccurrences?: number };
}

const DAYS: Record<string, string> = {
  sunday: 'SU', monday: 'MO', tuesday: 'TU', wednesday: 'WE', thursday: 'TH', friday: 'FR', saturday: 'SA',
};
const INDEX: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };
const FREQ: Record<string, string> = {
  daily: 'DAILY', weekly: 'WEEKLY', absoluteMonthly: 'MONTHLY', relativeMonthly: 'MONTHLY',
  absoluteYearly: 'YEARLY', relativeYearly: 'YEARLY',
};

function byDay(daysOfWeek: string | undefined, prefix = ''): string {
  const days = (daysOfWeek ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
  if (days.length === 0) fail('INVALID_PARAMETER', 'recurrence.pattern.daysOfWeek is required for this pattern type');
  return days.map((d) => {
    const code = DAYS[d];
    if (!code) fail('INVALID_PARAMETER', `recurrence.pattern.daysOfWeek has an unknown day: ${d}`);
    return `${prefix}${code}`;
  }).join(',');
}

/**
 * Maps DingTalk's recurrence object to an RFC 5545 RRULE value.
 * @throws KalendsError INVALID_PARAMETER naming the field at fault.
 */
export function toRrule(r: DingTalkRecurrence): string {
  const type = r.pattern?.type ?? '';
  const freq = FREQ[type];
  if (!freq) fail('INVALID_PARAMETER', `recurrence.pattern.type must be one of ${Object.keys(FREQ).join(', ')}`);
  const interval = r.pattern?.interval ?? 1;
  // CreateEvent's error table: 400 invalidParameter "Recurrence interval must between [1, 365]".
  if (!Number.isInteger(interval) || interval < 1 || interval > 365) fail('INVALID_PARAMETER', 'Recurrence interval must between [1, 365]');
  const parts = [`FREQ=${freq}`, `INTERVAL=${interval}`];
  if (type === 'weekly') parts.push(`BYDAY=${byDay(r.pattern?.daysOfWeek)}`);
  if (type === 'absoluteMonthly' || type === 'absoluteYearly') {
    const day = r.pattern?.dayOfMonth;
    if (day !== undefined) {
      if (!Number.isInteger(day) || day < 1 || day > 31) fail('INVALID_PARAMETER', 'recurrence.pattern.dayOfMonth must be 1 to 31');
      parts.push(`BYMONTHDAY=${day}`);
    }
  }
  if (type === 'relativeMonthly' || type === 'relativeYearly') {
    const index = INDEX[r.pattern?.index ?? 'first'];
    if (index === undefined) fail('INVALID_PARAMETER', 'recurrence.pattern.index must be first, second, third, fourth or last');
    parts.push(`BYDAY=${byDay(r.pattern?.daysOfWeek, String(index))}`);
  }
  if (r.pattern?.firstDayOfWeek) parts.push(`WKST=${byDay(r.pattern.firstDayOfWeek)}`);
  parts.push(...rangeParts(r.range));
  const rule = parts.join(';');
  parseRrule(rule);
  return rule;
}

function rangeParts(range: DingTalkRecurrence['range']): string[] {
  const type = range?.type ?? 'noEnd';
  if (type === 'noEnd') return [];
  if (type === 'numbered') {
    const n = range?.numberOfOccurrences;
    // CreateEvent's error table: "Recurrence range numberOfOccurrences must between [1, 99]".
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 99) fail('INVALID_PARAMETER', 'Recurrence range numberOfOccurrences must between [1, 99]');
    return [`COUNT=${n}`];
  }
  if (type === 'endDate') {
    const end = range?.endDate ?? '';
    const until = end.includes('T') ? parseIsoDateTime(end, 'recurrence.range.endDate').instant : parseIsoDate(end, 'recurrence.range.endDate') + 86_399_000;
    return [`UNTIL=${new Date(until).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`];
  }
  return fail('INVALID_PARAMETER', 'recurrence.range.type must be noEnd, endDate or numbered');
}

const CODE_TO_DAY = Object.fromEntries(Object.entries(DAYS).map(([day, code]) => [code, day]));
const INDEX_NAME = Object.fromEntries(Object.entries(INDEX).map(([name, n]) => [String(n), name]));

/**
 * Maps an RRULE value back to DingTalk's recurrence object (for events created through another
 * dialect; events created through DingTalk keep the object they were given).
 */
export function fromRrule(rule: string): DingTalkRecurrence {
  const fields = Object.fromEntries(rule.split(';').map((p) => p.split('=') as [string, string]));
  const byday = (fields.BYDAY ?? '').split(',').filter(Boolean);
  const relative = byday.some((d) => /^-?\d/.test(d));
  const dayNames = byday.map((d) => CODE_TO_DAY[d.replace(/^-?\d+/, '')] ?? '').join(',');
  const type = ({
    DAILY: 'daily', WEEKLY: 'weekly',
    MONTHLY: relative ? 'relativeMonthly' : 'absoluteMonthly',
    YEARLY: relative ? 'relativeYearly' : 'absoluteYearly',
  } as Record<string, string>)[fields.FREQ ?? ''] ?? 'daily';
  const pattern: NonNullable<DingTalkRecurrence['pattern']> = { type, interval: Number(fields.INTERVAL ?? 1) };
  if (dayNames) pattern.daysOfWeek = dayNames;
  if (relative) pattern.index = INDEX_NAME[/^-?\d+/.exec(byday[0] ?? '')?.[0] ?? '1'] ?? 'first';
  if (fields.BYMONTHDAY) pattern.dayOfMonth = Number(fields.BYMONTHDAY);
  if (fields.WKST) pattern.firstDayOfWeek = CODE_TO_DAY[fields.WKST] ?? 'sunday';
  let range: NonNullable<DingTalkRecurrence['range']> = { type: 'noEnd' };
  if (fields.COUNT) range = { type: 'numbered', numberOfOccurrences: Number(fields.COUNT) };
  else if (fields.UNTIL) {
    const u = fields.UNTIL;
    range = { type: 'endDate', endDate: `${u.slice(0, 4)}-${u.slice(4, 6)}-${u.slice(6, 8)}T${u.slice(9, 11) || '00'}:${u.slice(11, 13) || '00'}:${u.slice(13, 15) || '00'}Z` };
  }
  return { pattern, range };
}
