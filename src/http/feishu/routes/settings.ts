import { mintCaldavAccount } from '../../../core/auth/caldav-accounts.ts';
import { fail } from '../../../core/errors.ts';
import { caldavServerAddress } from '../../caldav/address.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { feishuActor } from '../context.ts';
import { GenerateCaldavConfBody } from '../schemas.ts';
import { GenerateCaldavConfReply } from '../replies.ts';
import { ok } from '../reply.ts';

/**
 * Calendar v4 settings: `POST /calendar/v4/settings/generate_caldav_conf` `{device_name?}` with a
 * user_access_token → `{password, user_name, server_address, device_name}`, a new CalDAV
 * password for the token's user (scopes `calendar:calendar` or `calendar:settings.caldav:create`;
 * source: calendar-v4/setting/generate_caldav_conf). The password is shown this once; it is
 * listed and revocable through the admin API and the console.
 */
export function registerSettingRoutes(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/v4/settings/generate_caldav_conf', {
    schema: { body: GenerateCaldavConfBody, response: { 200: GenerateCaldavConfReply } },
    config: { feishuScopes: ['calendar:calendar', 'calendar:settings.caldav:create'] },
  }, async (request) => {
    if (request.feishuAuth?.kind !== 'user') fail('ACCESS_TOKEN_INVALID', 'generate_caldav_conf takes a user_access_token');
    const actor = await feishuActor(deps, request);
    const device = request.body?.device_name ?? '';
    const minted = await deps.store.transaction((tx) => mintCaldavAccount(tx, actor, device, deps.clock.now()));
    return ok({ password: minted.password, user_name: minted.username, server_address: caldavServerAddress(request), device_name: device });
  });
}
