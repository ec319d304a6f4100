// Notices in the outbox (src/core/outbox/notify.ts, fan-out.ts): a change names whom it
// notifies in its one outbox row, however many they are, and the dispatcher's fan-out makes one
// inbox message per recipient and channel from it. Notice rows of their own, as changes were
// recorded before (one row per recipient and channel), still reach the inbox.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Actor } from '../../src/core/actor.ts';
import { fanOut } from '../../src/core/outbox/fan-out.ts';
import { toHistory } from '../../src/http/console/history.ts';
import { recordChange } from '../../src/core/outbox/notify.ts';
import { enqueue } from '../../src/store/repositories/outbox.ts';
import { listInbox } from '../../src/store/repositories/inbox.ts';
import type { Store } from '../../src/store/store.ts';
import { openTempStore, type TempStore } from '../helpers/sqlite-store.ts';

describe('outbox notices', () => {
  let temp: TempStore;
  let store: Store;
  const actor: Actor = { tenantId: 't', appId: 'app', platform: 'dingtalk', scopes: [], bot: false, userId: 'organizer' };
  before(async () => {
    temp = await openTempStore('kalends-notices-');
    store = temp.store;
  });
  after(async () => temp?.cleanup());
  beforeEach(async () => {
    while ((await fanOut(store, [], Date.now(), 500)).messages > 0); // what an earlier case left
  });
  const addedWithNotices = (eventId: string, recipients: string[], channels: Array<'push' | 'chat'>) =>
    store.transaction((tx) => recordChange(tx, actor, { topic: 'attendee.added', eventId, recipients, channels, data: {} }, Date.now()));

  it('one outbox row for a change notifying 500 people by two channels; 1,000 inbox messages from it', async () => {
    const recipients = Array.from({ length: 500 }, (_, i) => `user-${i}`);
    await store.transaction((tx) => recordChange(tx, actor, {
      topic: 'attendee.added', eventId: 'event-1', recipients: [...recipients, actor.userId], channels: ['push', 'chat'], data: {},
    }, Date.now()));
    const outbox = await sql<{ n: number }>`select count(*) as n from outbox where event_id = 'event-1'`.execute(store.db);
    assert.equal(outbox.rows[0]!.n, 1);

    const result = await fanOut(store, [], Date.now(), 500);
    assert.deepEqual(result, { messages: 1, inbox: 1000, deliveries: 0 });
    const inbox = await listInbox(store.db, 'user-499', 10);
    assert.deepEqual(inbox.map((m) => m.kind).sort(), ['chat', 'push']);
    assert.equal((await listInbox(store.db, actor.userId, 10)).length, 0, 'the actor is not told of their own change');

    const rows = await store.db.selectFrom('outbox').selectAll().where('event_id', '=', 'event-1').execute();
    const [entry] = toHistory(rows, new Map());
    assert.match(entry!.details, /notified 500 users by push, chat/);
    assert.ok(!entry!.details.includes('user-1'), `the console history does not list the recipients: ${entry!.details.slice(0, 200)}`);
  });

  it('a pass makes at most 2,000 inbox messages (one change at least); the rest waits for the next pass', async () => {
    const recipients = Array.from({ length: 1_500 }, (_, i) => `many-${i}`);
    await addedWithNotices('event-big-1', recipients, ['push']);
    await addedWithNotices('event-big-2', recipients, ['push']);
    await addedWithNotices('event-big-3', recipients.slice(0, 3_000), ['push', 'chat']);
    assert.deepEqual(await fanOut(store, [], Date.now(), 500), { messages: 1, inbox: 1_500, deliveries: 0 });
    assert.deepEqual(await fanOut(store, [], Date.now(), 500), { messages: 1, inbox: 1_500, deliveries: 0 });
    assert.deepEqual(await fanOut(store, [], Date.now(), 500), { messages: 1, inbox: 3_000, deliveries: 0 }, 'a change over the budget goes alone');
    assert.deepEqual(await fanOut(store, [], Date.now(), 500), { messages: 0, inbox: 0, deliveries: 0 });
  });

  it('a change without channels notifies nobody', async () => {
    await store.transaction((tx) => recordChange(tx, actor, {
      topic: 'attendee.added', eventId: 'event-2', recipients: ['user-x'], channels: [], data: {},
    }, Date.now()));
    assert.deepEqual(await fanOut(store, [], Date.now(), 500), { messages: 1, inbox: 0, deliveries: 0 });
  });

  it('a notice row of its own still becomes an inbox message, and is then gone', async () => {
    await store.transaction((tx) => enqueue(tx, [{
      tenant_id: 't', topic: 'attendee.responded', channel: 'push', recipient_id: 'organizer-2', event_id: 'event-3',
      payload: JSON.stringify({ actorId: 'someone', appId: 'app', partstat: 'accepted' }),
    }], Date.now()));
    assert.deepEqual(await fanOut(store, [], Date.now(), 500), { messages: 1, inbox: 1, deliveries: 0 });
    const [message] = await listInbox(store.db, 'organizer-2', 10);
    assert.equal(message?.kind, 'push');
    const left = await sql<{ n: number }>`select count(*) as n from outbox where event_id = 'event-3'`.execute(store.db);
    assert.equal(left.rows[0]!.n, 0);
  });
});
