// DingTalk meeting rooms through the SDK: addMeetingRooms, removeMeetingRooms,
// meetingRoomRespond and getMeetingRoomsSchedule; a room is one calendar, so two accepted
// bookings never overlap, and a room on a series is booked at every occurrence
// (add-a-meeting-room, remove-a-meeting-room, queries-free-and-busy-meeting-room-information).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACME, U, buildDirectory } from './helpers/directory.ts';
import { $Calendar, Dt, expectDtError, getToken, plain, rt } from './helpers/dingtalk.ts';
import { startServer, type KalendsServer } from './helpers/server.ts';

const ADMIN_TOKEN = 'rooms-admin-token-0123456789abcdef';
let srv: KalendsServer;
let dt: Dt;

before(async () => {
  srv = await startServer({ directory: buildDirectory({ bulk: false }), extraArgs: ['--admin-token', ADMIN_TOKEN] });
  dt = new Dt(srv.endpoint, await getToken(srv.endpoint, ACME.app));
});

after(async () => {
  await srv?.cleanup();
});

const h = <T>(Ctor: new (m: Record<string, unknown>) => T): T => new Ctor({ xAcsDingtalkAccessToken: dt.token });

function timed(summary: string, start: string, end: string, extra: Record<string, unknown> = {}) {
  return { summary, start: { dateTime: start, timeZone: 'Asia/Shanghai' }, end: { dateTime: end, timeZone: 'Asia/Shanghai' }, ...extra };
}

async function addRooms(userId: string, eventId: string, roomIds: string[]): Promise<unknown> {
  const res = await dt.client.addMeetingRoomsWithOptions(userId, 'primary', eventId,
    new $Calendar.AddMeetingRoomsRequest({ meetingRoomsToAdd: roomIds.map((roomId) => new $Calendar.AddMeetingRoomsRequestMeetingRoomsToAdd({ roomId })) }),
    h($Calendar.AddMeetingRoomsHeaders), rt());
  return plain(res.body);
}

async function roomSchedule(roomIds: string[], startTime: string, endTime: string): Promise<any[]> {
  const res = await dt.client.getMeetingRoomsScheduleWithOptions(U.alice, new $Calendar.GetMeetingRoomsScheduleRequest({ roomIds, startTime, endTime }),
    h($Calendar.GetMeetingRoomsScheduleHeaders), rt());
  return plain(res.body).scheduleInformation;
}

describe('meeting rooms', () => {
  it('addMeetingRooms books a room: getEvent lists it accepted and the room schedule shows the event', async () => {
    const id = (await dt.createEvent(U.alice, timed('Planning', '2036-03-03T10:00:00+08:00', '2036-03-03T11:00:00+08:00'))).body.id;
    assert.deepEqual(await addRooms(U.alice, id, ['omm_orion']), { result: true });
    const got = (await dt.getEvent(U.alice, id)).body;
    assert.deepEqual(got.meetingRooms, [{ roomId: 'omm_orion', displayName: 'Orion', responseStatus: 'accepted' }]);
    const info = await roomSchedule(['omm_orion', 'omm_lyra'], '2036-03-03T00:00Z', '2036-03-04T00:00Z');
    assert.equal(info[0].roomId, 'omm_orion');
    assert.deepEqual(info[0].scheduleItems.map((i: any) => [i.status, i.eventId, i.organizer.id, i.start.dateTime]), [['BUSY', id, U.alice, '2036-03-03T10:00:00+08:00']]);
    assert.deepEqual(info[1].scheduleItems, [], 'an idle room answers an empty list');
  });

  it('an overlapping booking of an accepted room is 400 meetingRoomNotAvailable and adds nothing; a touching one is fine', async () => {
    const overlapping = (await dt.createEvent(U.bob, timed('Clash', '2036-03-03T10:30:00+08:00', '2036-03-03T11:30:00+08:00'))).body.id;
    await expectDtError(addRooms(U.bob, overlapping, ['omm_orion']), 400, 'meetingRoomNotAvailable');
    assert.equal((await dt.getEvent(U.bob, overlapping)).body.meetingRooms, undefined);
    const after = (await dt.createEvent(U.bob, timed('After', '2036-03-03T11:00:00+08:00', '2036-03-03T12:00:00+08:00'))).body.id;
    assert.deepEqual(await addRooms(U.bob, after, ['omm_orion']), { result: true });
  });

  it('a room on a weekly series is booked at every occurrence', async () => {
    const weekly = { pattern: { type: 'weekly', interval: 1, daysOfWeek: 'tuesday' }, range: { type: 'numbered', numberOfOccurrences: 4 } };
    const id = (await dt.createEvent(U.carol, timed('Weekly', '2036-04-01T15:00:00+08:00', '2036-04-01T16:00:00+08:00', { recurrence: weekly }))).body.id;
    await addRooms(U.carol, id, ['omm_lyra']);
    const info = await roomSchedule(['omm_lyra'], '2036-04-01T00:00Z', '2036-05-01T00:00Z');
    assert.deepEqual(info[0].scheduleItems.map((i: any) => i.start.dateTime.slice(0, 10)), ['2036-04-01', '2036-04-08', '2036-04-15', '2036-04-22']);
    // Booking the room on the third Tuesday alone clashes with the series.
    const single = (await dt.createEvent(U.dave, timed('Tuesday', '2036-04-15T15:30:00+08:00', '2036-04-15T16:30:00+08:00'))).body.id;
    await expectDtError(addRooms(U.dave, single, ['omm_lyra']), 400, 'meetingRoomNotAvailable');
  });

  it('a room that needs approval stays tentative until meetingRoomRespond accepts it', async () => {
    const id = (await dt.createEvent(U.alice, timed('Board', '2036-05-05T09:00:00+08:00', '2036-05-05T10:00:00+08:00'))).body.id;
    await addRooms(U.alice, id, ['omm_vega']);
    assert.equal((await dt.getEvent(U.alice, id)).body.meetingRooms[0].responseStatus, 'tentative');
    let info = await roomSchedule(['omm_vega'], '2036-05-05T00:00Z', '2036-05-06T00:00Z');
    assert.deepEqual(info[0].scheduleItems.map((i: any) => i.status), ['TENTATIVE']);
    const res = await dt.client.meetingRoomRespondWithOptions('primary', U.alice, id, 'omm_vega', new $Calendar.MeetingRoomRespondRequest({ responseStatus: 'accepted' }),
      h($Calendar.MeetingRoomRespondHeaders), rt());
    assert.deepEqual(plain(res.body), { result: true });
    assert.equal((await dt.getEvent(U.alice, id)).body.meetingRooms[0].responseStatus, 'accepted');
    info = await roomSchedule(['omm_vega'], '2036-05-05T00:00Z', '2036-05-06T00:00Z');
    assert.deepEqual(info[0].scheduleItems.map((i: any) => i.status), ['BUSY']);
  });

  it('moving an event onto a time its room is taken is 400 meetingRoomNotAvailable and changes nothing', async () => {
    const first = (await dt.createEvent(U.alice, timed('Early', '2036-08-01T09:00:00+08:00', '2036-08-01T10:00:00+08:00'))).body.id;
    const second = (await dt.createEvent(U.bob, timed('Late', '2036-08-01T11:00:00+08:00', '2036-08-01T12:00:00+08:00'))).body.id;
    await addRooms(U.alice, first, ['omm_orion']);
    await addRooms(U.bob, second, ['omm_orion']);
    await expectDtError(dt.patchEvent(U.bob, second, {
      id: second, start: { dateTime: '2036-08-01T09:30:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2036-08-01T10:30:00+08:00', timeZone: 'Asia/Shanghai' },
    }), 400, 'meetingRoomNotAvailable');
    assert.equal((await dt.getEvent(U.bob, second)).body.start.dateTime, '2036-08-01T11:00:00+08:00');
    const moved = await dt.patchEvent(U.bob, second, {
      id: second, start: { dateTime: '2036-08-01T10:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2036-08-01T11:00:00+08:00', timeZone: 'Asia/Shanghai' },
    });
    assert.equal(moved.statusCode, 200);
  });

  it('the console approves a waiting booking, and refuses to approve one the room is taken for', async () => {
    const approve = async (eventId: string, answer: string) => {
      const pageRes = await fetch(`${srv.baseUrl}/console/search?q=${encodeURIComponent(eventId)}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(pageRes.status, 200);
      const internal = /\/console\/events\/([0-9a-f-]{36})/.exec(await pageRes.text())?.[1];
      assert.ok(internal, 'the console finds the event by its DingTalk id');
      const eventPage = await (await fetch(`${srv.baseUrl}/console/events/${internal}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
      const action = /action="(\/console\/events\/[^"]+\/rooms\/[^"]+\/answer)"/.exec(eventPage)?.[1];
      assert.ok(action, 'the event page offers the room booking\'s answer');
      return fetch(`${srv.baseUrl}${action}`, {
        method: 'POST', redirect: 'manual', body: new URLSearchParams({ answer }),
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      });
    };
    const first = (await dt.createEvent(U.carol, timed('Review', '2036-09-01T09:00:00+08:00', '2036-09-01T10:00:00+08:00'))).body.id;
    const second = (await dt.createEvent(U.dave, timed('Clash', '2036-09-01T09:30:00+08:00', '2036-09-01T10:30:00+08:00'))).body.id;
    await addRooms(U.carol, first, ['omm_vega']);
    await addRooms(U.dave, second, ['omm_vega']);
    const ok = await approve(first, 'ACCEPTED');
    assert.equal(ok.status, 303);
    assert.equal((await dt.getEvent(U.carol, first)).body.meetingRooms[0].responseStatus, 'accepted');
    const refused = await approve(second, 'ACCEPTED');
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /room busy/);
    assert.equal((await dt.getEvent(U.dave, second)).body.meetingRooms[0].responseStatus, 'tentative');
    assert.equal((await approve(second, 'DECLINED')).status, 303);
    assert.equal((await dt.getEvent(U.dave, second)).body.meetingRooms[0].responseStatus, 'declined');
  });

  it('removeMeetingRooms frees the room', async () => {
    const id = (await dt.createEvent(U.erin, timed('Short', '2036-06-01T09:00:00+08:00', '2036-06-01T09:30:00+08:00'))).body.id;
    await addRooms(U.erin, id, ['omm_orion']);
    const res = await dt.client.removeMeetingRoomsWithOptions(U.erin, 'primary', id,
      new $Calendar.RemoveMeetingRoomsRequest({ meetingRoomsToRemove: [new $Calendar.RemoveMeetingRoomsRequestMeetingRoomsToRemove({ roomId: 'omm_orion' })] }),
      h($Calendar.RemoveMeetingRoomsHeaders), rt());
    assert.deepEqual(plain(res.body), { result: true });
    assert.equal((await dt.getEvent(U.erin, id)).body.meetingRooms, undefined);
    assert.deepEqual((await roomSchedule(['omm_orion'], '2036-06-01T00:00Z', '2036-06-02T00:00Z'))[0].scheduleItems, []);
  });

  it('bad input: an unknown room, more than 5 rooms, no rooms, a schedule over 90 days are 400 invalidParameter', async () => {
    const id = (await dt.createEvent(U.alice, timed('Bad', '2036-07-01T09:00:00+08:00', '2036-07-01T09:30:00+08:00'))).body.id;
    await expectDtError(addRooms(U.alice, id, ['omm_nowhere']), 400, 'invalidParameter', 'roomId invalid');
    await expectDtError(addRooms(U.alice, id, ['omm_orion', 'omm_lyra', 'omm_vega', 'omm_globex', 'omm_x1', 'omm_x2']), 400, 'invalidParameter', 'Maximum allowed:5');
    await expectDtError(addRooms(U.alice, id, []), 400, 'invalidParameter');
    await expectDtError(roomSchedule([], '2036-07-01T00:00Z', '2036-07-02T00:00Z'), 400, 'invalidParameter', 'cannot be empty');
    await expectDtError(roomSchedule(['omm_orion'], '2036-01-01T00:00Z', '2036-05-01T00:00Z'), 400, 'invalidParameter', '90 days');
    assert.equal((await dt.getEvent(U.alice, id)).body.meetingRooms, undefined);
  });
});
