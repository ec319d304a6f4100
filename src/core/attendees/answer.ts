import { fail } from '../errors.ts';
import type { PartStat } from '../events/event.ts';

/** An invitation's possible answers (needs-action is the absence of one). */
export type Answer = Exclude<PartStat, 'NEEDS-ACTION'>;
const ANSWERS = ['ACCEPTED', 'DECLINED', 'TENTATIVE'] as const;

/**
 * Reads an answer written in a dialect's words (`names`: PARTSTAT → wire word).
 * @throws KalendsError INVALID_PARAMETER naming `field` and the words it takes.
 */
export function parseAnswer(value: string, names: Record<PartStat, string>, field: string): Answer {
  const found = ANSWERS.find((p) => names[p] === value);
  if (!found) fail('INVALID_PARAMETER', `${field} must be ${ANSWERS.map((p) => names[p]).join(', ')}, got ${JSON.stringify(value)}`);
  return found;
}
