import { randomUUID } from 'node:crypto';
import type { Platform } from '../actor.ts';
import { systemClock } from '../clock.ts';
import type { Store } from '../../store/store.ts';
import { findAppById, type AppRow } from '../../store/repositories/directory.ts';
import { insertTicket, spendTicket } from '../../store/repositories/stream-connections.ts';
import { verifyApp } from './access-tokens.ts';

/**
 * How long a connection ticket may wait for its WebSocket (ms): DingTalk's docs give 90 s
 * ("ticket 有效期 90 秒", stream-mode-protocol-access-description); Feishu's URL ticket is not
 * documented, so it gets the same.
 */
export const TICKET_TTL_MS = 90_000;

/**
 * Checks an app's credentials and hands out a ticket that opens one long connection of it
 * (DingTalk `POST /v1.0/gateway/connections/open`, Feishu `POST /callback/ws/endpoint`).
 * Tickets live in the store, so the WebSocket may reach any process of the cluster.
 * @throws KalendsError APP_CREDENTIALS_INVALID for an unknown client id or a wrong secret.
 */
export async function issueStreamTicket(store: Store, platform: Platform, clientId: string, secret: string): Promise<{ ticket: string; app: AppRow }> {
  const app = await verifyApp(store, platform, clientId, secret);
  const ticket = randomUUID();
  await store.transaction((tx) => insertTicket(tx, ticket, app.id, systemClock.now() + TICKET_TTL_MS));
  return { ticket, app };
}

/**
 * Spends a ticket for the WebSocket of `platform` it was given for: once, before it expires.
 * @returns the app, or undefined when the ticket opens nothing (unknown, spent, expired, or
 *   another platform's).
 */
export async function spendStreamTicket(store: Store, platform: Platform, ticket: string): Promise<AppRow | undefined> {
  const appId = await store.transaction((tx) => spendTicket(tx, ticket, systemClock.now()));
  const app = appId ? await findAppById(store.db, appId) : undefined;
  return app?.platform === platform ? app : undefined;
}
