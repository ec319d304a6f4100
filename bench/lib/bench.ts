import { runLoad, type LoadRequest, type LoadResult } from './load.ts';
import { cpuMeter, type CpuShare } from './cpu.ts';
import { runLoop } from './loop.ts';
import type { ServerProcess } from './server-process.ts';

export interface Options {
  quick: boolean;
  /** Seconds each scenario is measured. */
  durationSec: number;
  /** Seconds each 50-connection scenario runs, unmeasured, before it is measured. */
  warmupSec: number;
  /** Latency samples per growth point. */
  growthSamples: number;
  connections: number;
  out?: string;
  databaseUrl?: string;
  peers: boolean;
  /** Only scenarios whose name starts with one of these (and what they need). */
  only?: string[];
  /** Start Kalends under `node --cpu-prof`, writing the profile here. */
  cpuProfDir?: string;
  /** `--scale`: only the scaled-store rows, with this fill. */
  scale?: { events: number; attendeesPerEvent: number };
}

/** One measured scenario, before it is related to its references. */
export interface Measured {
  name: string;
  result: LoadResult;
  peakRssMb: number;
  /** How the machine's CPU was shared while it was measured. */
  cpu: CpuShare;
}

/** Prepared work a load draws from: the i-th request, i < capacity, each used once. */
export class Work {
  private taken = 0;

  constructor(readonly capacity: number, private readonly make: (i: number) => LoadRequest, readonly cycle?: LoadRequest[]) {}

  /** Work that repeats a fixed list of requests (reads): prebuilt by the load generator. */
  static cycling(requests: LoadRequest[]): Work {
    return new Work(Number.MAX_SAFE_INTEGER, (i) => requests[i % requests.length]!, requests);
  }

  spec(): { next(i: number): LoadRequest; capacity: number; cycle?: LoadRequest[] } {
    const offset = this.taken;
    return {
      cycle: this.cycle,
      next: (i) => { this.taken = offset + i + 1; return this.make(offset + i); },
      capacity: this.capacity - offset,
    };
  }
}

export interface MeasureOptions {
  connections?: number;
  warmup?: boolean;
  headers?: Record<string, string>;
  onAnswer?(status: number, request: LoadRequest, body: string): void;
  /** `loop` for servers that close the connection after each answer. */
  driver?: 'autocannon' | 'loop';
  /** Other processes of the same server sharing the connections (autocannon driver only). */
  alsoOrigins?: string[];
}

/** Runs scenarios against servers and keeps their results in order. */
export class Bench {
  readonly measured: Measured[] = [];

  constructor(readonly options: Options, readonly log: (line: string) => void) {}

  /** Whether a scenario is selected by `--only`. */
  wants(name: string): boolean {
    return !this.options.only || this.options.only.some((p) => name.startsWith(p));
  }

  /** Whether any selected scenario belongs to this group (a name prefix such as `feishu`). */
  wantsAny(group: string): boolean {
    return !this.options.only || this.options.only.some((p) => p.startsWith(group) || group.startsWith(p));
  }

  async measure(name: string, server: ServerProcess, work: Work, m: MeasureOptions = {}): Promise<Measured> {
    const connections = m.connections ?? this.options.connections;
    const drive = m.driver === 'loop' ? runLoop : runLoad;
    const base = { origin: server.origin, alsoOrigins: m.alsoOrigins, connections, headers: m.headers, onAnswer: m.onAnswer };
    let warm: LoadResult | undefined;
    if (m.warmup && this.options.warmupSec > 0) {
      // A few connections warm the code paths as well as fifty, and leave less to drain.
      warm = await drive({ ...base, connections: Math.min(connections, 8), ...work.spec(), durationSec: this.options.warmupSec });
    }
    await this.settle(server);
    server.markRss();
    const from = (performance.now() - server.spawnedAt) / 1000;
    const cpu = cpuMeter(server.pid);
    const result = await drive({ ...base, ...work.spec(), durationSec: this.options.durationSec });
    if (warm) {
      // A failure while warming up is still a failure of this scenario.
      result.non2xx += warm.non2xx;
      result.errors += warm.errors;
      result.samplesOfNon2xx = [...warm.samplesOfNon2xx, ...result.samplesOfNon2xx].slice(0, 3);
    }
    const measured = { name, result, peakRssMb: server.peakRssMb(), cpu: cpu() };
    await this.settle(server);
    this.measured.push(measured);
    const r = result;
    this.log(`  ${name.padEnd(22)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${r.p50Ms.toFixed(2)} ms  p99 ${r.p99Ms.toFixed(2)} ms`
      + `  (${r.ok} ok in ${r.elapsedSec.toFixed(1)} s${r.non2xx || r.errors ? `, ${r.non2xx} non-2xx, ${r.errors} errors` : ''}`
      + `${r.exhausted ? ', PREPARED WORK RAN OUT' : ''}; cpu server ${measured.cpu.server.toFixed(0)}% harness ${measured.cpu.harness.toFixed(0)}% others ${measured.cpu.others.toFixed(0)}%)`);
    for (const s of r.samplesOfNon2xx) this.log(`    non-2xx: ${s}`);
    if (this.options.cpuProfDir) {
      const to = (performance.now() - server.spawnedAt) / 1000;
      this.log(`    profile window: --from ${from.toFixed(1)} --to ${to.toFixed(1)} (seconds since ${server.name} started)`);
    }
    return measured;
  }

  /** Lets the server finish what it still works on (logged when that takes a while). */
  async settle(server: ServerProcess): Promise<void> {
    const ms = await server.settle();
    if (ms > 1_000) this.log(`    (waited ${(ms / 1000).toFixed(1)} s for ${server.name} to go idle)`);
  }

  find(name: string): Measured | undefined {
    return this.measured.find((m) => m.name === name);
  }
}
