import autocannon from 'autocannon';
import { percentile, Samples } from './stats.ts';

/** One HTTP request of a load: a path on the target origin. */
export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'REPORT';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** What work this request does, for onAnswer (not sent). */
  tag?: unknown;
}

export interface LoadSpec {
  origin: string;
  /**
   * Further origins (other processes of the same server) sharing the load: the connections are
   * split evenly over `origin` and these, all taking their requests from the one `next`.
   */
  alsoOrigins?: string[];
  connections: number;
  /** Run for this long (seconds) unless `amount` is given. */
  durationSec: number;
  /** Exactly this many requests instead of a duration (used for latency samples). */
  amount?: number;
  /**
   * The i-th request of the run (i counts from 0 across all connections), so each request takes
   * the next prepared piece of work. Never called with i ≥ capacity.
   */
  next(i: number): LoadRequest;
  /** How many distinct requests `next` can make; the run stops early when they are used up. */
  capacity: number;
  /**
   * Instead of `next`: a fixed list each connection cycles through. autocannon prebuilds these,
   * so the load generator spends less of the shared CPU (it matters most for the baseline).
   */
  cycle?: LoadRequest[];
  /** Headers sent with every request (tokens). */
  headers?: Record<string, string>;
  /** Told of each answered request (to learn which work was acknowledged). */
  onAnswer?(status: number, request: LoadRequest, body: string): void;
}

export interface LoadResult {
  /** 2xx answers. */
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  elapsedSec: number;
  /** How many requests `next` handed out. */
  issued: number;
  /** The prepared work ran out before the duration did. */
  exhausted: boolean;
  /** Up to three non-2xx answers, for the warning. */
  samplesOfNon2xx: string[];
}

interface Context { current?: LoadRequest }

/** Longest a run may take to drain its requests in flight after its duration, seconds. */
const DRAIN_LIMIT_SEC = 120;

/**
 * Drives one load with autocannon and measures it: latencies of 2xx answers come from
 * autocannon's per-response timings (sub-millisecond, unlike its integer histogram), and req/s is
 * 2xx answers over the wall time from the first request to the last answer.
 *
 * A run ends by draining, not by abandoning: once the duration is up, each connection closes
 * after its request in flight is answered, so no unanswered work is left queued in the server
 * to slow the next scenario down (with 50 connections on a slow write that backlog is many
 * seconds), and the answers that drain still count.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const capacity = spec.amount !== undefined ? Math.min(spec.amount, spec.capacity) : spec.capacity;
  if (capacity < spec.connections) throw new Error(`only ${capacity} requests prepared for ${spec.connections} connections`);
  const run: Run = { issued: 0, capacity, latencies: new Samples(), non2xxSamples: [], lastAnswer: 0, started: performance.now() };
  const origins = [spec.origin, ...(spec.alsoOrigins ?? [])];
  const shares = origins.map((_, k) => Math.floor(spec.connections / origins.length) + (k < spec.connections % origins.length ? 1 : 0));
  const results = await Promise.all(origins.map((origin, k) => drive(spec, origin, shares[k]!, run)));
  const sorted = run.latencies.sorted();
  const elapsedSec = ((run.lastAnswer || performance.now()) - run.started) / 1000;
  return {
    ok: run.latencies.length,
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    errors: results.reduce((n, r) => n + r.errors, 0),
    reqPerSec: run.latencies.length / elapsedSec,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    elapsedSec,
    issued: run.issued,
    exhausted: run.issued >= capacity && spec.amount === undefined,
    samplesOfNon2xx: run.non2xxSamples,
  };
}

/** What the autocannon instances of one load (one per origin) share. */
interface Run {
  issued: number;
  capacity: number;
  latencies: Samples;
  non2xxSamples: string[];
  lastAnswer: number;
  started: number;
}

/** One autocannon instance of a load: `connections` connections to `origin`. */
function drive(spec: LoadSpec, origin: string, connections: number, run: Run): Promise<{ non2xx: number; errors: number }> {
  const base = { 'content-type': 'application/json', accept: 'application/json', ...spec.headers };
  const capacity = run.capacity;
  const headersOf = (r: LoadRequest) => {
    const headers: Record<string, string> = { ...base, ...r.headers };
    if (r.body === undefined) delete headers['content-type'];
    return headers;
  };
  const built = (r: LoadRequest) => ({ method: r.method, path: r.path, headers: headersOf(r), body: r.body ?? '' });
  const noteNon2xx = (status: number, r: LoadRequest, body: string) => {
    if ((status < 200 || status > 299) && run.non2xxSamples.length < 3) run.non2xxSamples.push(`${status} ${r.method} ${r.path}: ${body.slice(0, 300)}`);
  };
  const deadline = spec.amount !== undefined ? Infinity : run.started + spec.durationSec * 1000;
  // With several origins, `amount` and the prepared work are shared: each instance may take all.
  const share = spec.alsoOrigins?.length ? Math.max(1, Math.floor(capacity / (spec.alsoOrigins.length + 1))) : capacity;
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: origin,
      connections,
      pipelining: 1,
      // The duration proper is the deadline above; this only bounds a drain that never ends.
      duration: spec.amount !== undefined ? spec.durationSec : spec.durationSec + DRAIN_LIMIT_SEC,
      setupClient: (client) => {
        const c = client as unknown as { destroy(): void; on(event: 'response', f: () => void): void };
        c.on('response', () => { if (performance.now() >= deadline) c.destroy(); });
      },
      ...(spec.amount !== undefined ? { amount: share } : { maxOverallRequests: share }),
      sampleInt: 100,
      timeout: 30,
      requests: spec.cycle ? spec.cycle.map((r) => ({
        method: r.method, path: r.path, body: r.body, headers: headersOf(r),
        onResponse: (status: number, body: string) => noteNon2xx(status, r, body),
      })) : [{
        setupRequest: (request, context) => {
          const ctx = context as Context;
          // A connection closed by the deadline still builds one request it never sends.
          if (performance.now() >= deadline && ctx.current) return { ...request, ...built(ctx.current) };
          if (run.issued >= capacity) throw new Error('load asked for more requests than prepared');
          const r = spec.next(run.issued++);
          ctx.current = r;
          return { ...request, ...built(r) };
        },
        onResponse: (status, body, context) => {
          const r = (context as Context).current!;
          noteNon2xx(status, r, body);
          spec.onAnswer?.(status, r, body);
        },
      }],
    }, (error, result) => {
      if (error) return reject(error);
      resolve({ non2xx: result.non2xx, errors: result.errors });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      run.lastAnswer = performance.now();
      if (statusCode >= 200 && statusCode <= 299) run.latencies.push(responseTime);
    });
  });
}
