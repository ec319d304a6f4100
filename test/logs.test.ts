// The request log of a running server: pino JSON lines that carry the id the reply carries
// (DingTalk requestid, Feishu X-Tt-Logid) and, once authenticated, the app and the tenant; no
// secret; and --log-format pretty for a terminal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACME, buildDirectory } from './helpers/directory.ts';
import { startServer } from './helpers/server.ts';

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const found = probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${what} in the log`);
}

describe('request logs', () => {
  it('are JSON lines with the reply\'s request id, the app and the tenant, and no secret', async () => {
    const srv = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--log-level', 'info'] });
    try {
      const tokenRes = await fetch(`${srv.baseUrl}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ app_id: ACME.feishuApp.appId, app_secret: ACME.feishuApp.appSecret }),
      });
      const token = ((await tokenRes.json()) as { tenant_access_token: string }).tenant_access_token;
      const res = await fetch(`${srv.baseUrl}/open-apis/calendar/v4/calendars`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      const logId = res.headers.get('x-tt-logid')!;
      const dt = await fetch(`${srv.baseUrl}/v1.0/calendar/users/u_alice/calendars`, { headers: { 'x-acs-dingtalk-access-token': 'wrong' } });
      const requestid = ((await dt.json()) as { requestid: string }).requestid;

      const lines = () => srv.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      const completed = await waitFor(() => lines().find((l) => l.reqId === logId && l.msg === 'request completed'), `completion of ${logId}`);
      assert.equal(completed.tenant, ACME.tenantId);
      assert.equal(typeof completed.appId, 'string');
      assert.equal((completed.res as { statusCode: number }).statusCode, 200);
      const refused = await waitFor(() => lines().find((l) => l.reqId === requestid && l.msg === 'request completed'), `completion of ${requestid}`);
      assert.equal((refused.res as { statusCode: number }).statusCode, 401);
      assert.equal(refused.tenant, undefined, 'no tenant before authentication');
      assert.ok(!srv.stdout().includes(ACME.feishuApp.appSecret), 'the app secret is never logged');
      assert.ok(!srv.stdout().includes(token), 'the access token is never logged');
    } finally {
      await srv.cleanup();
    }
  });

  it('are pretty with --log-format pretty', async () => {
    const srv = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--log-level', 'info', '--log-format', 'pretty'] });
    try {
      const res = await fetch(`${srv.baseUrl}/v1.0/calendar/users/u_alice/calendars`);
      const requestid = ((await res.json()) as { requestid: string }).requestid;
      // pino-pretty: `[time] INFO (pid): request completed`, then the fields indented, one a line.
      const entry = await waitFor(() => new RegExp(`^\\[[^\\]]+\\] INFO \\(\\d+\\): request completed\\n\\s+reqId: "${requestid}"$`, 'm').exec(srv.stdout())?.[0], requestid);
      assert.ok(!entry.startsWith('{'));
    } finally {
      await srv.cleanup();
    }
  });
});
