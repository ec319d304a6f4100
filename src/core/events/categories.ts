import { fail } from '../errors.ts';

/** An event category (DingTalk 会议类型: listCategories `{openCategoryId, displayName}`). */
export interface EventCategory { id: string; name: string }

/**
 * The categories an event may carry. DingTalk lets an organization define its own meeting
 * types; the sandbox has this fixed set for every tenant (README, "What the sandbox fakes").
 */
export const EVENT_CATEGORIES: readonly EventCategory[] = [
  { id: 'cat_meeting', name: 'Meeting' },
  { id: 'cat_interview', name: 'Interview' },
  { id: 'cat_training', name: 'Training' },
  { id: 'cat_customer_visit', name: 'Customer visit' },
];

/**
 * The categories an event is given (createEvent / patchEvent `categories[{categoryId,
 * displayName}]`): each must name a known category by id; its display name is the category's
 * own unless the request gives one.
 * @throws KalendsError INVALID_PARAMETER for a missing or unknown categoryId.
 */
export function resolveCategories(given: ReadonlyArray<{ categoryId?: string | undefined; displayName?: string | undefined }>): Array<{ categoryId: string; displayName: string }> {
  return given.map((c, i) => {
    const known = EVENT_CATEGORIES.find((k) => k.id === c.categoryId);
    if (!known) fail('INVALID_PARAMETER', `categories[${i}].categoryId ${c.categoryId ?? '(missing)'} is not a category of the organization`);
    return { categoryId: known.id, displayName: c.displayName || known.name };
  });
}
