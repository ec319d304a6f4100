import http from 'node:http';
import type { Measured } from './bench.ts';
import type { LoadRequest } from './load.ts';
import { percentile } from './stats.ts';

/** Latency samples of one series, and the failures among them. */
export interface Series {
  latencies: number[];
  non2xx: number;
  errors: number;
  samplesOfNon2xx: string[];
}

/**
 * One connection (keep-alive), one request at a time, taking the series in turn: request k of
 * every series before request k + 1 of any. Noise on a shared machine then falls on every series
 * alike, so their ratio stays fair even when the absolute figures move.
 */
export async function sampleInTurns(origin: string, headers: Record<string, string>, series: LoadRequest[][]): Promise<Series[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(origin);
  const out: Series[] = series.map(() => ({ latencies: [], non2xx: 0, errors: 0, samplesOfNon2xx: [] }));
  const rounds = Math.max(...series.map((s) => s.length));
  try {
    for (let k = 0; k < rounds; k++) {
      for (const [i, s] of series.entries()) {
        const r = s[k];
        if (!r) continue;
        const o = out[i]!;
        const t0 = performance.now();
        try {
          const { status, body } = await send(agent, url, r, headers);
          if (status >= 200 && status <= 299) o.latencies.push(performance.now() - t0);
          else {
            o.non2xx++;
            if (o.samplesOfNon2xx.length < 3) o.samplesOfNon2xx.push(`${status} ${r.method} ${r.path}: ${body.slice(0, 300)}`);
          }
        } catch {
          o.errors++;
        }
      }
    }
  } finally {
    agent.destroy();
  }
  return out;
}

export function p50(s: Series): number {
  return percentile([...s.latencies].sort((a, b) => a - b), 50);
}

/** One request on a keep-alive agent; resolves with its status and body. */
export function send(agent: http.Agent, url: URL, r: LoadRequest, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      agent, host: url.hostname, port: url.port, method: r.method, path: r.path,
      headers: {
        accept: 'application/json', ...headers, ...r.headers,
        ...(r.body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) } : {}),
      },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(r.body);
  });
}

/**
 * A series as the report's Measured rows take it: req/s over the time spent in requests (one
 * connection), p50 and p99 (ms). No RSS or CPU shares (a series shares its server with others).
 */
export function measuredOf(name: string, s: Series): Measured {
  const sorted = [...s.latencies].sort((a, b) => a - b);
  const busy = s.latencies.reduce((a, b) => a + b, 0) / 1000;
  return {
    name, peakRssMb: 0, cpu: { server: 0, harness: 0, others: 0 },
    result: {
      ok: s.latencies.length, non2xx: s.non2xx, errors: s.errors, reqPerSec: s.latencies.length / busy,
      p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), elapsedSec: busy, issued: s.latencies.length + s.non2xx + s.errors,
      exhausted: false, samplesOfNon2xx: s.samplesOfNon2xx,
    },
  };
}
