import { fail } from '../errors.ts';

/** Attendees one add or remove call may name (DingTalk seeds 000/002, Feishu seed 001). */
export const MAX_ATTENDEES_PER_CALL = 500;
/** Attendees one event may have (same pages). */
export const MAX_ATTENDEES_PER_EVENT = 5000;

/**
 * @throws KalendsError ATTENDEE_BATCH_TOO_LARGE when a call names more than 500 attendees.
 */
export function checkBatchSize(count: number): void {
  if (count > MAX_ATTENDEES_PER_CALL) {
    fail('ATTENDEE_BATCH_TOO_LARGE', `at most ${MAX_ATTENDEES_PER_CALL} attendees per call, got ${count}`);
  }
}

/**
 * @throws KalendsError ATTENDEE_LIMIT_EXCEEDED when adding `adding` to `current` passes 5,000.
 */
export function checkEventCap(current: number, adding: number): void {
  if (current + adding > MAX_ATTENDEES_PER_EVENT) {
    fail('ATTENDEE_LIMIT_EXCEEDED', `an event can have at most ${MAX_ATTENDEES_PER_EVENT} attendees: it has ${current}, the call adds ${adding}`);
  }
}
