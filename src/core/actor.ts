/** The platform whose wire dialect a request came through. */
export type Platform = 'dingtalk' | 'feishu';

/**
 * Who is acting: the app that holds the access token, its tenant, and the user the app acts
 * for (DingTalk: the `userId` path segment; Feishu: the token's user or the app's bot).
 */
export interface AppIdentity {
  tenantId: string;
  appId: string;
  platform: Platform;
  /** Granted permission scopes (e.g. `Calendar.Event.Write`). */
  scopes: readonly string[];
  /** The app has its bot enabled (Feishu: required to act with a tenant_access_token). */
  bot: boolean;
}

export interface Actor extends AppIdentity {
  /** Internal id of the user the app acts for. */
  userId: string;
}
