import type { Platform } from '../actor.ts';

/**
 * Permission scopes an app may hold. DingTalk names them on each API page ("Required
 * permissions", e.g. seed 000: `Calendar.Event.Write`); Feishu grants `calendar:calendar`
 * (read and write) and `calendar:calendar:readonly`.
 */
export const SCOPES = {
  eventWrite: 'Calendar.Event.Write',
  eventRead: 'Calendar.Event.Read',
  calendarWrite: 'Calendar.Calendar.Write',
  calendarRead: 'Calendar.Calendar.Read',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** Every calendar scope of a platform: what an app gets when its `scopes` are omitted. */
export const ALL_SCOPES: Record<Platform, readonly string[]> = {
  dingtalk: Object.values(SCOPES),
  feishu: ['calendar:calendar', 'calendar:calendar:readonly'],
};
