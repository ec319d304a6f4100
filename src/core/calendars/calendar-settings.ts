import type { CalendarRow } from '../../store/repositories/calendars.ts';

/**
 * Settings of a calendar kept in its attributes: who outside its members may see it
 * (Feishu `permissions`: `private`, `show_only_free_busy`, `public`), its colour and alias.
 */
export interface CalendarSettings {
  permissions: 'private' | 'show_only_free_busy' | 'public';
  color: number;
  summaryAlias: string;
}

const DEFAULTS: Record<string, CalendarSettings['permissions']> = {
  primary: 'show_only_free_busy', shared: 'private', resource: 'show_only_free_busy', subscribed: 'public',
};

export function settingsOf(row: CalendarRow): CalendarSettings {
  const a = JSON.parse(row.attributes) as Partial<CalendarSettings>;
  return { permissions: a.permissions ?? DEFAULTS[row.type] ?? 'private', color: a.color ?? -1, summaryAlias: a.summaryAlias ?? '' };
}

/**
 * The role a user has on a calendar: their membership's, else what the calendar's permissions
 * give everyone in the tenant (`public` → reader, `show_only_free_busy` → free_busy_reader),
 * else none.
 */
export function effectiveRole(row: CalendarRow, memberRole: string | undefined): string | null {
  if (memberRole) return memberRole;
  const { permissions } = settingsOf(row);
  if (permissions === 'public') return 'reader';
  if (permissions === 'show_only_free_busy') return 'free_busy_reader';
  return null;
}
