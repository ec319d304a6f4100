import type { Database } from '../schema.ts';
import type { Db } from '../store.ts';

export type ExchangeBindingRow = Database['exchange_bindings'];

export function findExchangeBinding(db: Db, tenantId: string, id: string): Promise<ExchangeBindingRow | undefined> {
  return db.selectFrom('exchange_bindings').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** The binding of an Exchange account within a tenant, whatever its admin account. */
export function findBindingOfAccount(db: Db, tenantId: string, exchangeAccount: string): Promise<ExchangeBindingRow | undefined> {
  return db.selectFrom('exchange_bindings').selectAll().where('tenant_id', '=', tenantId).where('exchange_account', '=', exchangeAccount).executeTakeFirst();
}

/** @returns false when the binding or a binding of its Exchange account is there already (nothing written). */
export async function insertExchangeBinding(db: Db, row: ExchangeBindingRow): Promise<boolean> {
  const result = await db.insertInto('exchange_bindings').values(row).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** @returns whether a binding was removed. */
export async function deleteExchangeBinding(db: Db, tenantId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('exchange_bindings').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A user's bindings (the console's user page), oldest first. */
export function bindingsOfUser(db: Db, userId: string): Promise<ExchangeBindingRow[]> {
  return db.selectFrom('exchange_bindings').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}
