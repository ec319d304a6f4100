import { mintCaldavAccount } from '../../../core/auth/caldav-accounts.ts';
import { SCOPES } from '../../../core/auth/scopes.ts';
import { caldavServerAddress } from '../../caldav/address.ts';
import type { AppDeps, HttpApp } from '../../deps.ts';
import { actingUser } from '../context.ts';
import { GenerateCaldavAccountBody, UserParams } from '../schemas.ts';
import { GenerateCaldavAccountReply } from '../replies.ts';

/**
 * GenerateCaldavAccount: `POST /v1.0/calendar/users/{userId}/caldavAccounts` `{device}` (header
 * `dingUid`, accepted and not needed: the path names the user) → `{username, password,
 * serverAddress}`, a new CalDAV password for that user's device (calendar_1_0 SDK model
 * GenerateCaldavAccountRequest/ResponseBody). The password is shown this once; it is listed
 * and revocable through the admin API and the console.
 */
export function registerGenerateCaldavAccount(app: HttpApp, deps: AppDeps): void {
  app.post('/calendar/users/:userId/caldavAccounts', {
    schema: { params: UserParams, body: GenerateCaldavAccountBody, response: { 200: GenerateCaldavAccountReply } },
    config: { scope: SCOPES.calendarWrite },
  }, async (request) => {
    const actor = await actingUser(deps, request, request.params.userId);
    const minted = await deps.store.transaction((tx) => mintCaldavAccount(tx, actor, request.body.device, deps.clock.now()));
    return { username: minted.username, password: minted.password, serverAddress: caldavServerAddress(request) };
  });
}
