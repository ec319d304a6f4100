import { SCOPES } from '../../../core/auth/scopes.ts';
import { fail } from '../../../core/errors.ts';
import { eventsOfLegacyIds } from '../../../core/events/legacy-ids.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser } from '../context.ts';
import { renderEventId } from '../ids.ts';
import { ConvertLegacyEventIdBody, UserParams } from '../schemas.ts';
import { LegacyEventIdMapReply } from '../replies.ts';

/** convertLegacyEventId: ids per call. */
const MAX_LEGACY_IDS = 100;

/**
 * convertLegacyEventId: `POST /users/{userId}/legacyEventIds/convert` `{legacyEventIds}` →
 * `{legacyEventIdMap}`: each legacy numeric id of an event the user may see, to its event id;
 * ids that do not convert are left out; 1 to 100 ids, else 400 invalidParameter.
 */
export function registerConvertLegacyEventId(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/legacyEventIds/convert', {
    schema: { params: UserParams, body: ConvertLegacyEventIdBody, response: { 200: LegacyEventIdMapReply } },
    config: { scope: SCOPES.eventRead },
  }, async (request) => {
    const ids = request.body.legacyEventIds;
    if (ids.length === 0) fail('INVALID_PARAMETER', 'legacyEventIds is required');
    if (ids.length > MAX_LEGACY_IDS) fail('INVALID_PARAMETER', `legacyEventIds takes at most ${MAX_LEGACY_IDS} ids`);
    const actor = await actingUser(deps, request, request.params.userId);
    const found = await eventsOfLegacyIds(deps.store.db, actor, ids);
    return { legacyEventIdMap: Object.fromEntries([...found].map(([legacy, event]) => [legacy, renderEventId(event)])) };
  });
}
