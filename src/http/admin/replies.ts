import { Type } from '@sinclair/typebox';

/**
 * Success reply schemas of the admin API (documentation and tests only: app.ts serializes with
 * JSON.stringify, so nothing is filtered). Extra fields are allowed.
 */
const Loose = Type.Object({}, { additionalProperties: true });

export const DirectoryLoadedReply = Type.Object({ loaded: Type.Object({}, { additionalProperties: true, description: 'counts of what the load added or changed' }) });
export const UserReply = Type.Object({ user: Type.Object({ unionId: Type.String(), name: Type.String() }, { additionalProperties: true }) });
export const MintedTokenReply = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer({ description: 'seconds' }),
  userId: Type.String({ description: 'internal id' }),
  unionId: Type.String(),
});
export const FaultsReply = Type.Object({ faults: Type.Array(Loose) });
export const FaultReply = Type.Object({ fault: Loose });
export const ClearedReply = Type.Object({ cleared: Type.Integer() });
export const ClockReply = Type.Object({ now: Type.String({ description: 'ISO 8601' }), offsetMs: Type.Number() });
export const InboxReply = Type.Object({ user: Type.String(), messages: Type.Array(Loose) });
export const DeliveriesReply = Type.Object({ deliveries: Type.Array(Loose) });
export const ApiCallsReply = Type.Object({ calls: Type.Array(Loose) });

/** GET /connections: the open long connections (DingTalk Stream Mode, Feishu WebSocket). */
export const ConnectionsReply = Type.Object({
  connections: Type.Array(Type.Object({
    id: Type.String(), app: Type.Optional(Type.String({ description: 'appKey or app_id' })), tenant_id: Type.String(),
    holder: Type.String({ description: 'the process holding it' }), opened_at: Type.String({ description: 'ISO 8601' }), seen_at: Type.String({ description: 'ISO 8601' }),
  })),
});
/** DELETE /connections/:id: the connection being closed. */
export const ClosingReply = Type.Object({ closing: Type.String() });
/** GET /caldav-accounts: CalDAV passwords minted (never the passwords), newest first. */
export const CaldavAccountsReply = Type.Object({
  accounts: Type.Array(Type.Object({
    id: Type.String(), userId: Type.String({ description: 'internal id' }), appId: Type.String({ description: 'internal id of the minting app' }),
    device: Type.String(), username: Type.String(), createdAt: Type.String({ description: 'ISO 8601' }),
    revokedAt: Type.Union([Type.String({ description: 'ISO 8601' }), Type.Null()]),
  })),
});
/** DELETE /caldav-accounts/:id: the account revoked. */
export const RevokedReply = Type.Object({ revoked: Type.String() });
