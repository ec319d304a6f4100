import type { TSchema } from '@sinclair/typebox';
import { ADMIN_OPERATIONS } from '../admin/operations.ts';
import { DINGTALK_OPERATIONS } from '../dingtalk/operations.ts';
import { FEISHU_OPERATIONS } from '../feishu/operations.ts';
import { AdminErrorBody, DingTalkErrorBody, FeishuErrorBody } from './error-bodies.ts';

/** A security scheme of OpenAPI 3.0 §4.7.33 (the subset Kalends uses). */
export type SecurityScheme =
  | { type: 'apiKey'; in: 'header' | 'cookie'; name: string; description: string }
  | { type: 'http'; scheme: 'bearer'; description: string };

/** One HTTP surface of Kalends and how its OpenAPI document describes it. */
export interface Surface {
  /** `/openapi/<name>.json`. */
  name: 'dingtalk' | 'feishu' | 'admin';
  title: string;
  description: string;
  /** The routes of the surface are those under this prefix. */
  prefix: string;
  /** operationId of each route by `METHOD /full/path/:param`. */
  operations: Readonly<Record<string, string>>;
  /** The body of every error reply (the document's `default` response). */
  errorBody: TSchema;
  /** Schemes a call may authenticate with (any one); routes marked `anonymous` need none. */
  securitySchemes: Record<string, SecurityScheme>;
  /** The tag of an operation (its SDK client or module). */
  tagOf(operationId: string, url: string): string;
}

export const SURFACES: readonly Surface[] = [
  {
    name: 'dingtalk',
    title: 'Kalends · DingTalk Calendar v1.0',
    description: 'The DingTalk open API operations Kalends serves, as `@alicloud/dingtalk` calls them (operationId = the SDK method).',
    prefix: '/v1.0/',
    operations: DINGTALK_OPERATIONS,
    errorBody: DingTalkErrorBody,
    securitySchemes: {
      dingtalkAccessToken: {
        type: 'apiKey', in: 'header', name: 'x-acs-dingtalk-access-token',
        description: 'An access token from POST /v1.0/oauth2/accessToken (appKey + appSecret).',
      },
    },
    tagOf: (_id, url) => (url.startsWith('/v1.0/oauth2/') ? 'oauth2_1_0' : 'calendar_1_0'),
  },
  {
    name: 'feishu',
    title: 'Kalends · Feishu/Lark Calendar v4',
    description: 'The Feishu open API operations Kalends serves, as `@larksuiteoapi/node-sdk` calls them (operationId = the client path).',
    prefix: '/open-apis/',
    operations: FEISHU_OPERATIONS,
    errorBody: FeishuErrorBody,
    securitySchemes: {
      accessToken: {
        type: 'http', scheme: 'bearer',
        description: 'A tenant_access_token (auth v3) or a user_access_token (authen v1 OIDC).',
      },
    },
    tagOf: (id) => id.split('.').slice(0, -1).join('.') || id,
  },
  {
    name: 'admin',
    title: 'Kalends · admin API',
    description: 'The sandbox\'s admin API: directory, tokens, faults, clock, inboxes, deliveries.',
    prefix: '/admin/v1/',
    operations: ADMIN_OPERATIONS,
    errorBody: AdminErrorBody,
    securitySchemes: {
      adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (KALENDS_ADMIN_TOKEN, or the one printed at start).' },
      adminCookie: { type: 'apiKey', in: 'cookie', name: 'kalends_admin', description: 'The console\'s cookie, set at login.' },
    },
    tagOf: () => 'admin',
  },
];

/** The surface a route belongs to, by its URL. */
export function surfaceOf(url: string): Surface | undefined {
  return SURFACES.find((s) => url.startsWith(s.prefix));
}
