import { inParallel, range } from '../lib/api.ts';
import { Work, type Bench } from '../lib/bench.ts';
import { dingtalkBatch, dingtalkRemoveBatch, unionId } from '../lib/directory.ts';
import type { DingTalk } from '../lib/kalends.ts';
import type { ServerProcess } from '../lib/server-process.ts';
import { walkPages } from './references.ts';

/** A batch of 500 that an add acknowledged: what remove-500 takes away again. */
export interface Batch { eventId: string; first: number }

/** How many events of 10 batches a load of `rate` req/s needs to never run out, with margin. */
function eventsFor(bench: Bench, rate: number, warmup: boolean): number {
  const seconds = bench.options.durationSec + (warmup ? bench.options.warmupSec : 0);
  return Math.ceil((rate * seconds * 1.5) / 10) + 10;
}

function rateOf(bench: Bench, name: string, fallback: number): number {
  return bench.find(name)?.result.reqPerSec ?? fallback;
}

/** Request i adds user ⌊i / 100⌋ + 1 to event i mod 100: a new attendee every time, never near the cap. */
export async function dingtalkAdd1(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const events = await dt.createEvents(100);
  const work = new Work(events.length * 4_999, (i) => ({
    method: 'POST', path: `${dt.eventPath(events[i % events.length]!)}/attendees`,
    body: dingtalkBatch(Math.floor(i / events.length), 1), headers: dt.clientToken(),
  }));
  await bench.measure('dingtalk-add-1', server, work, { warmup: true, headers: dt.headers });
}

/**
 * `two-nodes-dingtalk-add-1`: the load of dingtalk-add-1 (on events of its own) spread over two
 * Kalends processes on one PostgreSQL, half the connections each. Its CPU and RSS columns are the
 * first process's.
 */
export async function dingtalkAdd1TwoNodes(bench: Bench, server: ServerProcess, second: ServerProcess, dt: DingTalk): Promise<void> {
  const events = await dt.createEvents(100);
  const work = new Work(events.length * 4_999, (i) => ({
    method: 'POST', path: `${dt.eventPath(events[i % events.length]!)}/attendees`,
    body: dingtalkBatch(Math.floor(i / events.length), 1), headers: dt.clientToken(),
  }));
  await bench.measure('two-nodes-dingtalk-add-1', server, work, { warmup: true, headers: dt.headers, alsoOrigins: [second.origin] });
}

/**
 * add-500 (50 connections, or 1 for `-c1`): request i adds batch ⌊i / n⌋ of 500 users to event
 * i mod n of n prepared events (10 batches fill one to 5,000). Batches answered 200 go to `acked`.
 */
export async function dingtalkAdd500(bench: Bench, server: ServerProcess, dt: DingTalk, acked: Batch[], oneConnection: boolean): Promise<void> {
  const name = oneConnection ? 'dingtalk-add-500-c1' : 'dingtalk-add-500';
  const reference = oneConnection ? 'ceiling-add-500-c1' : 'ceiling-add-500';
  const events = await dt.createEvents(eventsFor(bench, rateOf(bench, reference, 500), !oneConnection));
  const work = new Work(events.length * 10, (i) => {
    const eventId = events[i % events.length]!;
    const first = Math.floor(i / events.length) * 500;
    return { method: 'POST', path: `${dt.eventPath(eventId)}/attendees`, body: dingtalkBatch(first, 500), headers: dt.clientToken(), tag: { eventId, first } };
  });
  await bench.measure(name, server, work, {
    warmup: !oneConnection, headers: dt.headers, ...(oneConnection ? { connections: 1 } : {}),
    onAnswer: (status, r) => { if (status === 200) acked.push(r.tag as Batch); },
  });
}

/** listAttendees, pages of 100: every page of an event of 5,000 attendees, in turn. */
export async function dingtalkList100(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const [eventId] = await dt.createEvents(1);
  for (const b of range(10)) await dt.add(eventId!, dingtalkBatch(b * 500, 500));
  const pages = await walkPages((token) => dt.listPage(eventId!, 100, token));
  if (pages.length !== 50) throw new Error(`an event of 5,000 attendees listed in ${pages.length} pages of 100, not 50`);
  await bench.measure('dingtalk-list-100', server, Work.cycling(pages.map((token) =>
    ({ method: 'GET', path: `${dt.eventPath(eventId!)}/attendees?maxResults=100${token ? `&nextToken=${encodeURIComponent(token)}` : ''}` }))),
  { warmup: true, headers: dt.headers });
}

const ANSWERS = ['accepted', 'declined', 'tentative'];

/**
 * respondEvent: 5,000 (event, attendee) pairs; request i answers, as the attendee, for pair
 * i mod 5,000 with the next of accepted → declined → tentative, so every answer changes something.
 */
export async function dingtalkRespond(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const events = await dt.createEvents(10);
  await inParallel(events, 4, (id) => dt.add(id, dingtalkBatch(0, 500)));
  const pairs = events.length * 500;
  const work = new Work(Number.MAX_SAFE_INTEGER, (i) => {
    const p = i % pairs;
    return {
      method: 'POST', path: `${dt.eventPath(events[p % events.length]!, unionId(1 + Math.floor(p / events.length)))}/respond`,
      body: JSON.stringify({ responseStatus: ANSWERS[Math.floor(i / pairs) % 3] }), headers: dt.clientToken(),
    };
  });
  await bench.measure('dingtalk-respond', server, work, { warmup: true, headers: dt.headers });
}

/**
 * batchRemove of 500: takes away batches the add-500 scenarios put in (only those whose add was
 * answered 200), topped up with more adds (not timed) if those could run out.
 */
export async function dingtalkRemove500(bench: Bench, server: ServerProcess, dt: DingTalk, acked: Batch[]): Promise<void> {
  const seconds = bench.options.durationSec + bench.options.warmupSec;
  // Enough for the remove rate to be measured even if it ran out early (a note then says so);
  // without an add-500 row to go by, 4 batches per connection.
  const want = Math.max(bench.options.connections * 4, Math.ceil(rateOf(bench, 'dingtalk-add-500', 0) * 1.5 * seconds));
  if (acked.length < want) {
    const events = await dt.createEvents(Math.ceil((want - acked.length) / 10));
    const more = events.flatMap((eventId) => range(10).map((b) => ({ eventId, first: b * 500 })));
    await inParallel(more, 4, async (b) => { await dt.add(b.eventId, dingtalkBatch(b.first, 500)); acked.push(b); });
  }
  const work = new Work(acked.length, (i) => {
    const b = acked[i]!;
    return { method: 'POST', path: `${dt.eventPath(b.eventId)}/attendees/batchRemove`, body: dingtalkRemoveBatch(b.first, 500), headers: dt.clientToken() };
  });
  await bench.measure('dingtalk-remove-500', server, work, { warmup: true, headers: dt.headers });
}
