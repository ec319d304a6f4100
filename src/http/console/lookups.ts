import type { Db } from '../../store/store.ts';
import { listApps } from '../../store/repositories/console.ts';

/** Client ids (appKey / app_id) of every app by internal id: what operators recognise. */
export async function appClientIds(db: Db): Promise<Map<string, string>> {
  return new Map((await listApps(db, 500)).map((a) => [a.id, a.client_id]));
}
