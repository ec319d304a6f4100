import { inParallel, range } from '../lib/api.ts';
import type { Bench, Measured } from '../lib/bench.ts';
import { dingtalkBatch } from '../lib/directory.ts';
import type { DingTalk } from '../lib/kalends.ts';
import type { LoadRequest } from '../lib/load.ts';
import { measuredOf, p50, sampleInTurns } from '../lib/sampler.ts';
import type { ServerProcess } from '../lib/server-process.ts';
import { round } from '../lib/stats.ts';

export interface GrowthRow {
  attendees: number;
  add500P50Ms: number;
  list100P50Ms: number;
}

export interface Growth {
  rows: GrowthRow[];
  /** Every sample series, so their failures count in the run's error report. */
  samples: Measured[];
}

export const GROWTH_POINTS = [0, 2_500, 4_500];

/**
 * `growth`: p50 at one connection of add-500 onto events holding 0, 2,500 and 4,500 attendees
 * (each sample a different event, so each holds exactly that many when it is measured), then of
 * list-100 reading the deepest page (the last 100) of those events, now holding 500 more. The
 * points are sampled in turns (0, 2,500, 4,500, 0, …) so a noisy neighbour hits them alike.
 * Flat rows mean no per-call work grows with the event.
 */
export async function runGrowth(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<Growth> {
  if (!bench.wants('growth')) return { rows: [], samples: [] };
  const count = bench.options.growthSamples;
  const events: string[][] = [];
  for (const n of GROWTH_POINTS) {
    const ids = await dt.createEvents(count);
    const batches = ids.flatMap((eventId) => range(n / 500).map((b) => ({ eventId, first: b * 500 })));
    await inParallel(batches, 4, (b) => dt.add(b.eventId, dingtalkBatch(b.first, 500)));
    events.push(ids);
  }
  await server.settle();
  const adds = await sampleInTurns(server.origin, dt.headers, GROWTH_POINTS.map((n, i) => events[i]!.map((eventId): LoadRequest => ({
    method: 'POST', path: `${dt.eventPath(eventId)}/attendees`, body: dingtalkBatch(n, 500), headers: dt.clientToken(),
  }))));
  const pages = await Promise.all(GROWTH_POINTS.map(async (n, i) => {
    const listed = events[i]!.slice(0, 10);
    const tokens = await inParallel(listed, 2, (eventId) => deepestPage(dt, eventId, n));
    return range(count * 2).map((k): LoadRequest => ({
      method: 'GET', path: `${dt.eventPath(listed[k % listed.length]!)}/attendees?maxResults=100&nextToken=${encodeURIComponent(tokens[k % listed.length]!)}`,
    }));
  }));
  await server.settle();
  const lists = await sampleInTurns(server.origin, dt.headers, pages);
  const rows = GROWTH_POINTS.map((n, i) => ({ attendees: n, add500P50Ms: round(p50(adds[i]!), 3), list100P50Ms: round(p50(lists[i]!), 3) }));
  for (const [i, n] of GROWTH_POINTS.entries()) {
    bench.log(`  growth @${String(n).padEnd(5)}  add-500 p50 ${rows[i]!.add500P50Ms.toFixed(2)} ms (${adds[i]!.latencies.length} samples)`
      + `  list-100 p50 ${rows[i]!.list100P50Ms.toFixed(2)} ms (${lists[i]!.latencies.length} samples)`);
  }
  const samples = GROWTH_POINTS.flatMap((n, i) => [measuredOf(`growth add-500 @${n}`, adds[i]!), measuredOf(`growth list-100 @${n}`, lists[i]!)]);
  return { rows, samples };
}

/** The nextToken of the last page of 100 of an event holding n + 500: walk n in pages of 500, then 400. */
async function deepestPage(dt: DingTalk, eventId: string, n: number): Promise<string> {
  let token: string | undefined;
  for (let seen = 0; seen < n; seen += 500) token = (await dt.listPage(eventId, 500, token)).nextToken;
  const page = await dt.listPage(eventId, 400, token);
  if (!page.nextToken) throw new Error(`event ${eventId} holds fewer than ${n + 401} attendees`);
  return page.nextToken;
}
