import type { AppDeps, HttpApp } from '../../deps.ts';
import type { ApiCall } from '../../plugins/api-log.ts';
import { queryParam } from '../form.ts';
import { appClientIds } from '../lookups.ts';
import { notFound } from '../not-found.ts';
import { sendPage } from '../render.ts';
import { ApiCallPage, ApiCallsPage } from '../views/api-calls.tsx';

/** Whether a call matches the filter text: in its path, method, status or app client id. */
function matches(call: ApiCall, text: string, clientIds: ReadonlyMap<string, string>): boolean {
  if (text === '') return true;
  const app = call.app ? (clientIds.get(call.app) ?? call.app) : '';
  return [call.url, call.method, String(call.status), app, call.id].some((s) => s.toLowerCase().includes(text));
}

/** `GET /console/api-calls?q=` and `GET /console/api-calls/:id` (this process's log). */
export function apiCallRoutes(app: HttpApp, deps: AppDeps): void {
  app.get('/api-calls', async (request, reply) => {
    const q = queryParam(request.query, 'q').trim();
    const clientIds = await appClientIds(deps.store.db);
    const all = deps.sandbox.apiLog.recent();
    const calls = all.filter((c) => matches(c, q.toLowerCase(), clientIds));
    return sendPage(reply, ApiCallsPage, { calls, appClientIds: clientIds, q, kept: all.length });
  });

  app.get<{ Params: { id: string } }>('/api-calls/:id', async (request, reply) => {
    const call = deps.sandbox.apiLog.recent().find((c) => c.id === request.params.id);
    if (!call) return notFound(reply, 'No such call in this process\'s log (it keeps the last calls only).');
    const clientIds = await appClientIds(deps.store.db);
    return sendPage(reply, ApiCallPage, { call, appClientId: call.app ? (clientIds.get(call.app) ?? call.app) : '' });
  });
}
