import { randomBytes } from 'node:crypto';
import type { DirectoryFile } from './directory-file.ts';

/** The demo tenant's app credentials, printed once when `start` creates it. */
export interface DemoCredentials {
  dingtalk: { appKey: string; appSecret: string };
  feishu: { appId: string; appSecret: string };
}

const PEOPLE = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin'];

/**
 * The demo tenant created by `kalends start` on an empty store: one DingTalk app, one Feishu
 * app (bot enabled), five users, a chat of all of them and two meeting rooms. Secrets are
 * random, so a server reachable by others never runs with a well-known secret.
 */
export function demoDirectory(): { directory: DirectoryFile; credentials: DemoCredentials } {
  const credentials: DemoCredentials = {
    dingtalk: { appKey: 'dingkalendsdemo00001', appSecret: randomBytes(18).toString('base64url') },
    feishu: { appId: 'cli_a7c3e0d1b2f40001', appSecret: randomBytes(18).toString('base64url') },
  };
  const users = PEOPLE.map((name) => {
    const key = name.toLowerCase();
    return { unionId: `u_${key}`, userId: key, openId: `ou_${key}`, name, email: `${key}@demo.example`, active: true };
  });
  const directory: DirectoryFile = {
    tenants: [{
      id: 'demo',
      name: 'Demo',
      apps: [
        { platform: 'dingtalk', ...credentials.dingtalk },
        { platform: 'feishu', ...credentials.feishu, bot: true },
      ],
      users,
      chats: [{ chatId: 'oc_demo_team', name: 'Demo team', members: users.map((u) => u.unionId) }],
      rooms: [
        { roomId: 'omm_orion', name: 'Orion', capacity: 8 },
        { roomId: 'omm_lyra', name: 'Lyra', capacity: 4 },
      ],
    }],
  };
  return { directory, credentials };
}
