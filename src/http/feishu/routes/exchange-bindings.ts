import { bindExchangeAccount, getExchangeBinding, unbindExchangeAccount, type ExchangeBinding } from '../../../core/exchange/exchange-bindings.ts';
import type { UserIdType } from '../../../core/attendees/attendee.ts';
import { fail } from '../../../core/errors.ts';
import type { FastifyRequest } from 'fastify';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { feishuActor, idTypeOf, userIdIn, type FeishuActor } from '../context.ts';
import { EmptyDataReply, ExchangeBindingReply } from '../replies.ts';
import { FEISHU_READ, FEISHU_WRITE, ok } from '../reply.ts';
import { ExchangeBindingBody, ExchangeBindingParams, UserIdTypeQuery } from '../schemas.ts';

function render(b: ExchangeBinding, idType: UserIdType) {
  return { admin_account: b.adminAccount, exchange_account: b.exchangeAccount, user_id: userIdIn(b.user, idType) ?? '', status: b.status, exchange_binding_id: b.id };
}

/**
 * exchange_binding takes a user_access_token only (its pages: "Authorization:
 * user_access_token", the tenant's administrator); the sandbox has no administrator role, so
 * any signed-in user of the tenant counts as one.
 * @throws KalendsError ACCESS_TOKEN_INVALID for a tenant_access_token.
 */
async function userActor(deps: AppDeps, request: FastifyRequest): Promise<FeishuActor> {
  if (request.feishuAuth?.kind !== 'user') fail('ACCESS_TOKEN_INVALID', 'exchange_bindings takes a user_access_token');
  return feishuActor(deps, request);
}

/**
 * Calendar v4 `exchange_binding` (create takes calendar:calendar, calendar:calendar:readonly or
 * calendar:exchange.bindings:create, as its page lists): `POST /calendar/v4/exchange_bindings` `{admin_account,
 * exchange_account, user_id}` → the binding with its `status` and `exchange_binding_id`; `GET
 * …/:exchange_binding_id`; `DELETE …/:exchange_binding_id` → `{}`. Recorded only: no Exchange
 * server is contacted (README).
 */
export function registerExchangeBindingRoutes(app: HttpApp, deps: AppDeps): void {
  const base = '/calendar/v4/exchange_bindings';

  app.post(base, { schema: { querystring: UserIdTypeQuery, body: ExchangeBindingBody, response: { 200: ExchangeBindingReply } }, config: { feishuScopes: [...FEISHU_READ, 'calendar:exchange.bindings:create'] } }, async (request) => {
    const actor = await userActor(deps, request);
    const idType = idTypeOf(request.query);
    const b = request.body;
    const binding = await deps.store.transaction((tx) => bindExchangeAccount(tx, actor, {
      adminAccount: b.admin_account, exchangeAccount: b.exchange_account, userId: b.user_id, idType,
    }, deps.clock.now()));
    return ok(render(binding, idType));
  });

  app.get(`${base}/:exchange_binding_id`, { schema: { params: ExchangeBindingParams, querystring: UserIdTypeQuery, response: { 200: ExchangeBindingReply } }, config: { feishuScopes: [...FEISHU_READ, 'calendar:exchange.bindings:read'] } }, async (request) => {
    const actor = await userActor(deps, request);
    return ok(render(await getExchangeBinding(deps.store.db, actor, request.params.exchange_binding_id), idTypeOf(request.query)));
  });

  app.delete(`${base}/:exchange_binding_id`, { schema: { params: ExchangeBindingParams, response: { 200: EmptyDataReply } }, config: { feishuScopes: [...FEISHU_WRITE, 'calendar:exchange.bindings:delete'] } }, async (request) => {
    const actor = await userActor(deps, request);
    await deps.store.transaction((tx) => unbindExchangeAccount(tx, actor, request.params.exchange_binding_id));
    return ok({});
  });
}
