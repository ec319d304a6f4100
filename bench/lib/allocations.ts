// Bytes allocated on the V8 heap by function, for bench/micro.ts --alloc: V8's sampling heap
// profiler (Chrome DevTools protocol HeapProfiler.startSampling) through node:inspector, told to
// keep the samples of objects the garbage collector has freed since, so a profile counts what
// was allocated, not what is still alive.
import { Session } from 'node:inspector/promises';

/** One sample every this many bytes allocated, on average (V8 samples at random around it). */
const SAMPLING_INTERVAL = 4096;

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** Bytes allocated per function (name, file and line), over the sampling window. */
export type Allocations = Map<string, number>;

const session = new Session();
let connected = false;

export const allocations = {
  async start(): Promise<void> {
    if (!connected) session.connect();
    connected = true;
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: SAMPLING_INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
    } as never);
  },

  async stop(): Promise<Allocations> {
    const { profile } = await session.post('HeapProfiler.stopSampling') as unknown as { profile: { head: ProfileNode } };
    const bytes: Allocations = new Map();
    const walk = (node: ProfileNode) => {
      const frame = node.callFrame;
      const where = `${frame.functionName || '(anonymous)'}  ${frame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${frame.lineNumber + 1}`;
      if (node.selfSize > 0) bytes.set(where, (bytes.get(where) ?? 0) + node.selfSize);
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    return bytes;
  },
};

/** Prints the total and the functions that allocated the most, in KB per request. */
export function printAllocations(bytes: Allocations, requests: number, top = 15): void {
  const total = [...bytes.values()].reduce((sum, b) => sum + b, 0);
  process.stdout.write(`  allocated: ${(total / requests / 1024).toFixed(1)} KB/req on the V8 heap; most by\n`);
  for (const [where, b] of [...bytes].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    process.stdout.write(`  ${(b / requests / 1024).toFixed(1).padStart(9)} KB/req  ${where}\n`);
  }
}
