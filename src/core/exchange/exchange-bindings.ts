import type { Actor } from '../actor.ts';
import type { UserIdType } from '../attendees/attendee.ts';
import { fail } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { findUserById, findUsersByIdType, type UserRow } from '../../store/repositories/directory.ts';
import {
  deleteExchangeBinding, findBindingOfAccount, findExchangeBinding, insertExchangeBinding, type ExchangeBindingRow,
} from '../../store/repositories/exchange-bindings.ts';

/**
 * Exchange bindings (Feishu exchangeBinding): an Exchange account bound to a user of the
 * tenant so that the platform imports its calendar. The sandbox contacts no Exchange server and
 * has nothing to import, so a binding is `done` as soon as it is made. Its id is, as Feishu's,
 * the base64 of the admin account and the Exchange account joined by a space; an Exchange
 * account is bound to one user at a time ("解除绑定后才能和其他飞书账户继续绑定").
 * Source: calendar-v4/exchange_binding/introduction, create, get, delete.
 */
export interface ExchangeBinding {
  id: string;
  adminAccount: string;
  exchangeAccount: string;
  user: UserRow;
  status: 'done';
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * Binds `exchangeAccount` to a user named in `idType`; binding the same triple again answers
 * the binding there is.
 * @throws KalendsError INVALID_PARAMETER (not e-mail addresses, or the account is bound to
 *   another user), USER_NOT_FOUND (no such active user of the tenant).
 */
export async function bindExchangeAccount(tx: Db, actor: Actor, input: { adminAccount: string; exchangeAccount: string; userId: string; idType: UserIdType }, now: number): Promise<ExchangeBinding> {
  if (!EMAIL.test(input.adminAccount)) fail('INVALID_PARAMETER', 'admin_account must be an e-mail address');
  if (!EMAIL.test(input.exchangeAccount)) fail('INVALID_PARAMETER', 'exchange_account must be an e-mail address');
  const [user] = await findUsersByIdType(tx, actor.tenantId, input.idType, [input.userId]);
  if (!user || user.active !== 1 || user.bot_app_id !== null) fail('USER_NOT_FOUND', `user ${input.userId} not found`);
  const id = Buffer.from(`${input.adminAccount} ${input.exchangeAccount}`).toString('base64');
  // Inserted unless the account is bound (a unique index, so two concurrent calls bind it once).
  const inserted = await insertExchangeBinding(tx, {
    tenant_id: actor.tenantId, id, admin_account: input.adminAccount, exchange_account: input.exchangeAccount,
    user_id: user.id, status: 'done', created_at: now,
  });
  if (!inserted) {
    const bound = await findBindingOfAccount(tx, actor.tenantId, input.exchangeAccount);
    if (!bound || bound.id !== id || bound.user_id !== user.id) fail('INVALID_PARAMETER', `exchange_account ${input.exchangeAccount} is already bound; unbind it first`);
  }
  return { id, adminAccount: input.adminAccount, exchangeAccount: input.exchangeAccount, user, status: 'done' };
}

/**
 * A binding of the caller's tenant.
 * @throws KalendsError INVALID_PARAMETER for an id of no binding of the tenant.
 */
export async function getExchangeBinding(db: Db, actor: Actor, id: string): Promise<ExchangeBinding> {
  const row = await findExchangeBinding(db, actor.tenantId, id);
  const user = row && await findUserById(db, row.user_id);
  if (!row || !user) fail('INVALID_PARAMETER', `exchange_binding_id ${id} not found`);
  return toBinding(row, user);
}

/**
 * Unbinds; the account may then be bound to another user.
 * @throws KalendsError INVALID_PARAMETER for an id of no binding of the tenant.
 */
export async function unbindExchangeAccount(tx: Db, actor: Actor, id: string): Promise<void> {
  if (!(await deleteExchangeBinding(tx, actor.tenantId, id))) fail('INVALID_PARAMETER', `exchange_binding_id ${id} not found`);
}

function toBinding(row: ExchangeBindingRow, user: UserRow): ExchangeBinding {
  return { id: row.id, adminAccount: row.admin_account, exchangeAccount: row.exchange_account, user, status: 'done' };
}
