import type { FastifyReply } from 'fastify';
import type { Platform } from '../core/actor.ts';
import { signInCandidates } from '../core/auth/user-sign-in.ts';
import type { AppDeps } from './deps.ts';
import { sendPage } from './console/render.ts';
import { ConsentPage } from './console/views/consent.tsx';

/** The consent page lists this many people at most (a tenant may have thousands). */
export const CONSENT_PAGE_LIMIT = 200;

export interface ConsentRequest {
  platform: Platform;
  tenantId: string;
  clientId: string;
  /** The page's own path (the buttons come back to it). */
  action: string;
  /** The request's query, carried through the page (login_hint excepted). */
  query: Readonly<Record<string, string | undefined>>;
}

/**
 * Renders the sign-in page of both dialects (200, text/html): the tenant's people who may sign in,
 * each button naming them by the id the platform's login_hint takes (DingTalk unionId, Feishu open_id).
 */
export async function sendConsentPage(reply: FastifyReply, deps: AppDeps, request: ConsentRequest): Promise<FastifyReply> {
  const people = await signInCandidates(deps.store, request.tenantId);
  const users = people.slice(0, CONSENT_PAGE_LIMIT).map((u) => ({
    name: u.name,
    hint: request.platform === 'feishu' ? u.open_id ?? u.union_id : u.union_id,
    detail: [u.union_id, u.open_id, u.user_id, u.email].filter((x) => x).join(' · '),
  }));
  const params = Object.entries(request.query).filter((e): e is [string, string] => e[0] !== 'login_hint' && typeof e[1] === 'string');
  return sendPage(reply, ConsentPage, {
    platform: request.platform === 'feishu' ? 'Feishu' : 'DingTalk', clientId: request.clientId, action: request.action,
    params, users, more: Math.max(0, people.length - CONSENT_PAGE_LIMIT),
  });
}
