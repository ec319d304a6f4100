import type { AppDeps, HttpApp } from '../../deps.ts';
import { namesOf } from '../../../store/repositories/console.ts';
import { queryParam } from '../form.ts';
import { sendPage } from '../render.ts';
import { searchConsole } from '../search.ts';
import { SearchPage } from '../views/search.tsx';

/** `GET /console/search?q=`. */
export function searchRoutes(app: HttpApp, deps: AppDeps): void {
  app.get('/search', async (request, reply) => {
    const q = queryParam(request.query, 'q').trim();
    const results = await searchConsole(deps.store.db, q);
    const names = await namesOf(deps.store.db, [
      ...results.events.map((e) => ({ kind: 'user', ref: e.organizer_id })),
      ...results.calendars.flatMap((c) => (c.owner_user_id ? [{ kind: 'user', ref: c.owner_user_id }] : [])),
    ]);
    return sendPage(reply, SearchPage, { q, results, names });
  });
}
