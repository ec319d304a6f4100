import { Type } from '@sinclair/typebox';
import { ERROR_CODES } from '../../core/errors.ts';

const Platform = Type.Union([Type.Literal('dingtalk'), Type.Literal('feishu')]);

export const MintBody = Type.Object({
  platform: Platform,
  clientId: Type.String({ minLength: 1 }),
  user: Type.String({ minLength: 1, description: 'unionId, open_id or user_id' }),
}, { additionalProperties: false });

export const FaultBody = Type.Object({
  platform: Platform,
  clientId: Type.String({ minLength: 1 }),
  operation: Type.String({ minLength: 1, default: '*' }),
  error: Type.Optional(Type.Union(ERROR_CODES.map((c) => Type.Literal(c)))),
  httpStatus: Type.Optional(Type.Integer({ minimum: 429, maximum: 599 })),
  latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
  count: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
}, { additionalProperties: false });

export const FaultParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const ClockBody = Type.Union([
  Type.Object({ offsetMs: Type.Integer() }, { additionalProperties: false }),
  Type.Object({ advanceMs: Type.Integer() }, { additionalProperties: false }),
  Type.Object({ now: Type.String({ minLength: 1, description: 'ISO 8601 date-time' }) }, { additionalProperties: false }),
]);

export const UserParams = Type.Object({ tenantId: Type.String({ minLength: 1 }), unionId: Type.String({ minLength: 1 }) });
export const UserBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  userId: Type.Optional(Type.String({ minLength: 1 })),
  openId: Type.Optional(Type.String({ minLength: 1 })),
  email: Type.Optional(Type.String()),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const InboxQuery = Type.Object({
  user: Type.String({ minLength: 1, description: 'internal id, unionId, open_id or user_id' }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

export const DeliveriesQuery = Type.Object({
  app: Type.Optional(Type.String({ minLength: 1, description: 'client id (appKey / app_id)' })),
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('delivered'), Type.Literal('dead')], {
    description: 'only deliveries in this state: pending (due or waiting to retry), sending (under way), delivered, dead (given up)',
  })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

export const ConnectionsQuery = Type.Object({
  app: Type.Optional(Type.String({ minLength: 1, description: 'client id (appKey / app_id)' })),
});
export const ConnectionParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const CaldavAccountsQuery = Type.Object({
  user: Type.Optional(Type.String({ minLength: 1, description: 'a user: internal id, unionId, open_id or user_id' })),
});
