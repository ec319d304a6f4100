// DingTalk free/busy through the SDK: getSchedule and getScheduleByMe answer BUSY/TENTATIVE spans
// from the same expansion as the views; free, declined and cancelled time is absent
// (free-schedule page).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { $Calendar, Dt, expectDtError, getToken, plain, rt } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'schedule-admin-token-0123456789ab';
let srv: KalendsServer;
let dt: Dt;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--admin-token', ADMIN_TOKEN] });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
});

after(async () => {
  await srv?.cleanup();
});

async function schedule(asUser: string, userIds: string[], startTime: string, endTime: string, client: Dt = dt): Promise<any[]> {
  const res = await client.client.getScheduleWithOptions(asUser, new $Calendar.GetScheduleRequest({ userIds, startTime, endTime }),
    new $Calendar.GetScheduleHeaders({ xAcsDingtalkAccessToken: client.token }), rt());
  return plain(res.body).scheduleInformation;
}

function timed(summary: string, start: string, end: string, extra: Record<string, unknown> = {}) {
  return { summary, start: { dateTime: start, timeZone: 'Asia/Shanghai' }, end: { dateTime: end, timeZone: 'Asia/Shanghai' }, ...extra };
}

describe('getSchedule', () => {
  before(async () => {
    // Alice organizes a daily 09:00 series (3 days) with Bob, who has not answered.
    await dt.createEvent(U.alice, timed('Daily', '2034-02-06T09:00:00+08:00', '2034-02-06T09:30:00+08:00', {
      recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } }, attendees: [{ id: U.bob }],
    }));
    // Bob accepts one event, declines another; one of Bob's own events is marked free.
    const accepted = (await dt.createEvent(U.carol, timed('Accepted', '2034-02-06T14:00:00+08:00', '2034-02-06T15:00:00+08:00', { attendees: [{ id: U.bob }] }))).body.id;
    await dt.respond(U.bob, accepted, 'accepted');
    const declined = (await dt.createEvent(U.carol, timed('Declined', '2034-02-07T14:00:00+08:00', '2034-02-07T15:00:00+08:00', { attendees: [{ id: U.bob }] }))).body.id;
    await dt.respond(U.bob, declined, 'declined');
    await dt.createEvent(U.bob, timed('Focus (free)', '2034-02-07T16:00:00+08:00', '2034-02-07T17:00:00+08:00', { freeBusyStatus: 'free' }));
  });

  it('answers each person in the order named, with BUSY for their own and accepted events and TENTATIVE for unanswered ones', async () => {
    const info = await schedule(U.alice, [U.bob, U.alice], '2034-02-06T00:00:00+08:00', '2034-02-09T00:00:00+08:00');
    assert.deepEqual(info.map((i) => i.userId), [U.bob, U.alice]);
    const bob = info[0].scheduleItems.map((s: any) => [s.status, s.start.dateTime, s.end.dateTime]);
    assert.deepEqual(bob, [
      ['TENTATIVE', '2034-02-06T09:00:00+08:00', '2034-02-06T09:30:00+08:00'],
      ['BUSY', '2034-02-06T14:00:00+08:00', '2034-02-06T15:00:00+08:00'],
      ['TENTATIVE', '2034-02-07T09:00:00+08:00', '2034-02-07T09:30:00+08:00'],
      ['TENTATIVE', '2034-02-08T09:00:00+08:00', '2034-02-08T09:30:00+08:00'],
    ]);
    assert.deepEqual(info[1].scheduleItems.map((s: any) => s.status), ['BUSY', 'BUSY', 'BUSY']);
    assert.equal(info[1].scheduleItems[0].start.timeZone, 'Asia/Shanghai');
  });

  it('takes the window in Z as well, and a person outside the tenant is answered in-band with error', async () => {
    const info = await schedule(U.alice, [U.bob, 'nobody_here'], '2034-02-06T05:00:00Z', '2034-02-06T07:00:00Z');
    assert.deepEqual(info[0].scheduleItems.map((s: any) => s.status), ['BUSY']);
    assert.equal(info[1].userId, 'nobody_here');
    assert.equal(typeof info[1].error, 'string');
    assert.deepEqual(info[1].scheduleItems ?? [], []);
  });

  it('more than 20 userIds is 400 paramIllegal', async () => {
    const many = Array.from({ length: 21 }, (_, i) => `u_${i}`);
    await expectDtError(schedule(U.alice, many, '2034-02-06T00:00:00Z', '2034-02-07T00:00:00Z'), 400, 'paramIllegal');
  });

  it('getScheduleByMe answers with a user access token, for its user', async () => {
    const minted = await fetch(`${srv.baseUrl}/admin/v1/tokens`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ platform: 'dingtalk', clientId: ACME.app.appKey, user: U.bob }),
    });
    const token = (await minted.json()).accessToken as string;
    const res = await dt.client.getScheduleByMeWithOptions(new $Calendar.GetScheduleByMeRequest({ userIds: [U.alice], startTime: '2034-02-06T00:00:00+08:00', endTime: '2034-02-07T00:00:00+08:00' }),
      new $Calendar.GetScheduleByMeHeaders({ xAcsDingtalkAccessToken: token }), rt());
    const info = plain(res.body).scheduleInformation;
    assert.deepEqual(info.map((i: any) => i.userId), [U.alice]);
    assert.equal(info[0].scheduleItems.length, 1);
    await expectDtError(dt.client.getScheduleByMeWithOptions(new $Calendar.GetScheduleByMeRequest({ userIds: [U.alice], startTime: '2034-02-06T00:00:00Z', endTime: '2034-02-07T00:00:00Z' }),
      new $Calendar.GetScheduleByMeHeaders({ xAcsDingtalkAccessToken: dt.token }), rt()), 401, 'InvalidAuthentication');
  });
});
