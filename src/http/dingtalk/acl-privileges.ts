import type { AclRole } from '../../core/calendars/calendar-acl.ts';
import { fail } from '../../core/errors.ts';

/**
 * DingTalk's calendar `privilege` ⇄ the core's ACL role (Feishu's `role` names): owner 管理者,
 * writer 编辑者, reader 订阅者, freeBusyReader 游客 (free/busy only). README: "Calendar access".
 */
const PRIVILEGE_OF: Record<AclRole, string> = {
  owner: 'owner', writer: 'writer', reader: 'reader', free_busy_reader: 'freeBusyReader',
};

/** A core role as DingTalk names it (an unknown role is passed as it is). */
export function privilegeOf(role: string): string {
  return PRIVILEGE_OF[role as AclRole] ?? role;
}

/**
 * The core role of a DingTalk privilege.
 * @throws KalendsError INVALID_PARAMETER for anything but owner, writer, reader, freeBusyReader.
 */
export function roleOf(privilege: string): AclRole {
  const found = (Object.keys(PRIVILEGE_OF) as AclRole[]).find((role) => PRIVILEGE_OF[role] === privilege);
  if (!found) fail('INVALID_PARAMETER', `privilege must be one of ${Object.values(PRIVILEGE_OF).join(', ')}`);
  return found;
}
