import { SCOPES } from '../../../core/auth/scopes.ts';
import { EVENT_CATEGORIES } from '../../../core/events/categories.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { ListCategoriesReply } from '../replies.ts';

/**
 * listCategories: `GET /v1.0/calendar/categories` → `{categories[{openCategoryId,
 * displayName}]}`, the categories createEvent's `categories[].categoryId` names.
 */
export function registerCategories(app: HttpApp, _deps: AppDeps): void {
  app.get('/calendar/categories', { schema: { response: { 200: ListCategoriesReply } }, config: { scope: SCOPES.eventRead } }, async () => ({
    categories: EVENT_CATEGORIES.map((c) => ({ openCategoryId: c.id, displayName: c.name })),
  }));
}
