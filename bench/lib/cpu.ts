import { readFileSync } from 'node:fs';

/** Busy and total jiffies of the whole machine (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = f.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** utime + stime of one process (all its threads), in jiffies (1/100 s). */
export function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

export interface CpuShare {
  /** Percent of the machine's CPU (all cores) each used over the window. */
  server: number;
  harness: number;
  /** Everything else: other programs on this shared machine, and kernel work (loopback). */
  others: number;
}

/** Starts measuring how the machine's CPU was shared between the server, the harness and the rest. */
export function cpuMeter(serverPid: number): () => CpuShare {
  const m0 = machineTicks();
  const s0 = processTicks(serverPid);
  const h0 = processTicks(process.pid);
  return () => {
    const m1 = machineTicks();
    const total = Math.max(1, m1.total - m0.total);
    const server = processTicks(serverPid) - s0;
    const harness = processTicks(process.pid) - h0;
    const others = Math.max(0, m1.busy - m0.busy - server - harness);
    const pct = (v: number) => (100 * v) / total;
    return { server: pct(server), harness: pct(harness), others: pct(others) };
  };
}
