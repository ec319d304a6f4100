import http from 'node:http';
import type { LoadRequest, LoadResult, LoadSpec } from './load.ts';
import { percentile, Samples } from './stats.ts';

/** Sends one request; the answer's body is kept whole when `whole` (an onAnswer checks it), else its first 1,000 characters. */
function send(origin: URL, r: LoadRequest, headers: Record<string, string>, whole: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: origin.hostname, port: origin.port, method: r.method, path: r.path, agent: false,
      headers: { ...headers, ...r.headers, ...(r.body !== undefined ? { 'content-length': Buffer.byteLength(r.body) } : {}) },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { if (whole || body.length < 1000) body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(r.body);
  });
}

/**
 * The same measurement as runLoad for a server that closes the connection after each answer
 * (Radicale speaks HTTP/1.0): a closed loop of `connections` clients, each opening a connection
 * per request, as a CalDAV client of such a server must.
 */
export async function runLoop(spec: LoadSpec): Promise<LoadResult> {
  const origin = new URL(spec.origin);
  const capacity = spec.amount !== undefined ? Math.min(spec.amount, spec.capacity) : spec.capacity;
  const deadline = spec.amount !== undefined ? Infinity : performance.now() + spec.durationSec * 1000;
  const latencies = new Samples();
  const samplesOfNon2xx: string[] = [];
  let issued = 0;
  let non2xx = 0;
  let errors = 0;
  let lastAnswer = 0;
  const started = performance.now();
  const client = async () => {
    while (issued < capacity && performance.now() < deadline) {
      const r = spec.next(issued++);
      const t0 = performance.now();
      try {
        const { status, body } = await send(origin, r, spec.headers ?? {}, spec.onAnswer !== undefined);
        lastAnswer = performance.now();
        if (status >= 200 && status <= 299) latencies.push(lastAnswer - t0);
        else {
          non2xx++;
          if (samplesOfNon2xx.length < 3) samplesOfNon2xx.push(`${status} ${r.method} ${r.path}: ${body.slice(0, 300)}`);
        }
        spec.onAnswer?.(status, r, body);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, client));
  const sorted = latencies.sorted();
  const elapsedSec = ((lastAnswer || performance.now()) - started) / 1000;
  return {
    ok: latencies.length, non2xx, errors, reqPerSec: latencies.length / elapsedSec,
    p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), elapsedSec, issued,
    exhausted: issued >= capacity && spec.amount === undefined, samplesOfNon2xx,
  };
}
