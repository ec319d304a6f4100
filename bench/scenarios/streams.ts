// The long-connection row: the respond load of `dingtalk-respond` with DingTalk's DWClient and
// Feishu's WSClient connected to Kalends (every change is then pushed over the DingTalk
// stream), then a probe of the push latency from an API reply (after its commit) to the
// client's handler.
import axios from 'axios';
import { DWClient, EventAck } from 'dingtalk-stream';
import * as lark from '@larksuiteoapi/node-sdk';
import { call } from '../lib/api.ts';
import { Work, type Bench } from '../lib/bench.ts';
import { DINGTALK_STREAM_APP, FEISHU_STREAM_APP, dingtalkBatch, unionId } from '../lib/directory.ts';
import type { DingTalk } from '../lib/kalends.ts';
import type { ServerProcess } from '../lib/server-process.ts';
import { percentile } from '../lib/stats.ts';

const GATEWAY_URL = 'https://api.dingtalk.com/v1.0/gateway/connections/open';
const ANSWERS = ['accepted', 'declined', 'tentative'];
/** Respond calls of the latency probe, one at a time, each waiting for its push. */
const PROBES = 60;
/**
 * The load's pushes have drained when none arrived for this long (ms): several times the
 * dispatcher's 200 ms period and the stream sender's 50 ms one.
 */
const QUIET_MS = 1_000;
/** How long the probe waits at most for the load's pushes to drain (ms). */
const DRAIN_LIMIT_MS = 60_000;

/** When the DWClient's handler saw each change, by `eventId|unionIds|changeType` (ms). */
type Seen = Map<string, number>;

/** Pushes the DWClient's handler received, and when the last one came (ms). */
interface Arrivals { count: number; last: number }

/**
 * Waits until no push has arrived for QUIET_MS (at most DRAIN_LIMIT_MS), so that the probe's
 * pushes do not queue behind the load's. @returns how long it waited (ms), and whether it drained.
 */
async function drain(arrivals: Arrivals): Promise<{ waitedMs: number; drained: boolean }> {
  const t0 = Date.now();
  while (Date.now() - arrivals.last < QUIET_MS) {
    if (Date.now() - t0 > DRAIN_LIMIT_MS) return { waitedMs: Date.now() - t0, drained: false };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { waitedMs: Date.now() - t0, drained: true };
}

async function connectStreams(origin: string, seen: Seen, arrivals: Arrivals): Promise<{ close(): void }> {
  axios.interceptors.request.use((c) => (c.url === GATEWAY_URL && (c.url = `${origin}/v1.0/gateway/connections/open`), c));
  const dw = new DWClient({ ...{ clientId: DINGTALK_STREAM_APP.appKey, clientSecret: DINGTALK_STREAM_APP.appSecret }, debug: false });
  dw.registerAllEventListener((frame) => {
    const d = JSON.parse(frame.data) as { calendarEventId: string; unionIdList: string[]; changeType: string };
    arrivals.count++;
    arrivals.last = Date.now();
    seen.set(`${d.calendarEventId}|${d.unionIdList.join(',')}|${d.changeType}`, arrivals.last);
    return { status: EventAck.SUCCESS };
  });
  await dw.connect();
  let ready!: () => void;
  const wsReady = new Promise<void>((r) => (ready = r));
  const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
  const ws = new lark.WSClient({ ...FEISHU_STREAM_APP, domain: origin, logger: quiet, onReady: () => ready() } as any);
  void ws.start({ eventDispatcher: new lark.EventDispatcher({ logger: quiet } as any).register({ 'calendar.calendar.event.changed_v4': async () => {} } as any) });
  await wsReady;
  for (let i = 0; !dw.connected; i++) {
    if (i > 500) throw new Error('the DWClient did not connect');
    await new Promise((r) => setTimeout(r, 20));
  }
  return { close: () => { dw.disconnect(); ws.close({ force: true }); } };
}

export async function dingtalkRespondStream(bench: Bench, server: ServerProcess, dt: DingTalk): Promise<void> {
  const seen: Seen = new Map();
  const arrivals: Arrivals = { count: 0, last: Date.now() };
  const streams = await connectStreams(server.origin, seen, arrivals);
  try {
    const events = await dt.createEvents(10);
    for (const id of events) await dt.add(id, dingtalkBatch(0, 500));
    const pairs = events.length * 500;
    const work = new Work(Number.MAX_SAFE_INTEGER, (i) => {
      const p = i % pairs;
      return {
        method: 'POST', path: `${dt.eventPath(events[p % events.length]!, unionId(1 + Math.floor(p / events.length)))}/respond`,
        body: JSON.stringify({ responseStatus: ANSWERS[Math.floor(i / pairs) % 3] }), headers: dt.clientToken(),
      };
    });
    const measured = await bench.measure('dingtalk-respond-stream', server, work, { warmup: true, headers: dt.headers });
    const without = bench.find('dingtalk-respond')?.result.reqPerSec;
    if (without) bench.log(`    with the two long connections: ${(measured.result.reqPerSec / without).toFixed(2)} x dingtalk-respond's req/s (target >= 0.9)`);
    // The pushes of the load drain first, so the probe measures the latency of a push, not of a
    // queue: an idle dispatcher's.
    const before = arrivals.count;
    const { waitedMs, drained } = await drain(arrivals);
    bench.log(`    the load's pushes: ${arrivals.count} received, ${arrivals.count - before} of them while the probe waited for them to drain `
      + `(${drained ? `${(waitedMs / 1000).toFixed(1)} s, the last ${QUIET_MS / 1000} s without any` : `STILL ARRIVING after ${DRAIN_LIMIT_MS / 1000} s`})`);
    const [probe] = await dt.createEvents(1);
    await dt.add(probe!, dingtalkBatch(0, PROBES));
    const latencies: number[] = [];
    for (let u = 1; u <= PROBES; u++) {
      await call(server.origin, 'POST', `${dt.eventPath(probe!, unionId(u))}/respond`, { responseStatus: 'accepted' }, { ...dt.headers, ...dt.clientToken() });
      const replied = Date.now();
      const key = `${probe}|${unionId(u)}|respond`;
      for (let waited = 0; !seen.has(key); waited += 5) {
        if (waited > 10_000) throw new Error(`no push of ${key} within 10 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(seen.get(key)! - replied);
    }
    latencies.sort((a, b) => a - b);
    bench.log(`    push latency, reply to DWClient handler (${PROBES} probes): p50 ${percentile(latencies, 50)} ms  p99 ${percentile(latencies, 99)} ms (target p50 <= 250 ms)`);
  } finally {
    streams.close();
  }
}
