import rrulePkg from 'rrule';
import { fail } from '../errors.ts';

const { RRule } = rrulePkg as unknown as typeof import('rrule');

/** Latest instant Kalends represents (ms): the end of an open-ended series. */
export const END_OF_TIME = 8.64e15;

/**
 * Parses an RFC 5545 §3.3.10 RRULE value (no `RRULE:` prefix).
 * @throws KalendsError INVALID_PARAMETER when the rule does not parse or has no FREQ.
 */
export function parseRrule(value: string): InstanceType<typeof RRule>['options'] {
  let options;
  try {
    options = RRule.parseString(value.replace(/^RRULE:/i, ''));
  } catch {
    fail('INVALID_PARAMETER', `recurrence is not a valid RRULE: ${value}`);
  }
  if (options.freq === undefined) fail('INVALID_PARAMETER', `recurrence has no FREQ: ${value}`);
  // RFC 5545 §3.3.10: "The UNTIL or COUNT rule parts are OPTIONAL, but they MUST NOT occur in
  // the same 'recur'" (Feishu: "COUNT 和 UNTIL 不支持同时出现").
  if (options.count != null && options.until != null) fail('INVALID_PARAMETER', `recurrence may not have both COUNT and UNTIL: ${value}`);
  return new RRule(options).options;
}
