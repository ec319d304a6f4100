import { writeFileSync } from 'node:fs';

/** How many users the bench tenant has: more than any event can hold (5,000) plus the organizer. */
export const USER_COUNT = 12_000;

export const DINGTALK_APP = { appKey: 'ding_bench', appSecret: 's' };
export const FEISHU_APP = { appId: 'cli_bench', appSecret: 's' };
/** Apps that receive events over long connections (the stream row), in the platforms' id shapes. */
export const DINGTALK_STREAM_APP = { appKey: 'dingbenchstream00001', appSecret: 's' };
export const FEISHU_STREAM_APP = { appId: 'cli_be0c4000000000a1', appSecret: 's' };

const pad = (n: number) => String(n).padStart(5, '0');
/** DingTalk unionId of user n (u_00000 organizes every event). */
export const unionId = (n: number) => `u_${pad(n)}`;
/** Feishu open_id of user n. */
export const openId = (n: number) => `ou_${pad(n)}`;

/**
 * Writes the directory file `kalends start --directory` loads: one tenant, its apps (two of them
 * stream apps), the users (`userCount`, 12,000 unless told; the scaled store's tenant has 50,000).
 */
export function writeDirectory(file: string, userCount = USER_COUNT): void {
  const users = Array.from({ length: userCount }, (_, i) => ({
    unionId: unionId(i), userId: `user${pad(i)}`, openId: openId(i), name: `User ${i}`, active: true,
  }));
  writeFileSync(file, JSON.stringify({
    tenants: [{
      id: 'bench', name: 'Bench',
      apps: [
        { platform: 'dingtalk', ...DINGTALK_APP }, { platform: 'feishu', ...FEISHU_APP, bot: true },
        { platform: 'dingtalk', ...DINGTALK_STREAM_APP, eventDelivery: 'stream' }, { platform: 'feishu', ...FEISHU_STREAM_APP, eventDelivery: 'stream' },
      ],
      users,
    }],
  }));
}

/** Users first+1 … first+count as DingTalk attendees (skipping the organizer, user 0). */
export function dingtalkBatch(first: number, count: number): string {
  const list = [];
  for (let u = first + 1; u <= first + count; u++) list.push({ id: unionId(u), isOptional: false });
  return JSON.stringify({ attendeesToAdd: list });
}

export function dingtalkRemoveBatch(first: number, count: number): string {
  const list = [];
  for (let u = first + 1; u <= first + count; u++) list.push({ id: unionId(u) });
  return JSON.stringify({ attendeesToRemove: list });
}

export function feishuBatch(first: number, count: number): string {
  const list = [];
  for (let u = first + 1; u <= first + count; u++) list.push({ type: 'user', user_id: openId(u) });
  return JSON.stringify({ attendees: list });
}
