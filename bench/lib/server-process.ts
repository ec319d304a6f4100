import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { processTicks } from './cpu.ts';

/** A server the harness runs as a child process, with its address and memory. */
export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** performance.now() when it was spawned: offsets into a --cpu-prof profile count from here. */
  readonly spawnedAt: number;
  /** Starts a new peak-RSS window (resets the kernel's high-water mark where allowed). */
  markRss(): void;
  /** Peak RSS in MB since the last markRss(). */
  peakRssMb(): number;
  /** Peak RSS in MB over the process's whole life so far. */
  lifetimePeakRssMb(): number;
  /**
   * Waits until the server is idle (at most 10% of a core over 100 ms): work it still does for a
   * load that has ended must not be billed to the next one. @returns how long it waited, ms.
   */
  settle(maxMs?: number): Promise<number>;
  /** The last lines the server wrote to stderr (for a failure message). */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Matches the readiness line; group 1 is the origin. Or, for a quiet server, its origin to poll. */
  ready: RegExp | { poll: string };
  timeoutMs?: number;
}

/** Children still running: killed if the harness exits early (Ctrl-C, a crash). */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Jiffies per second as Linux reports process times (USER_HZ, 100 on every common build). */
const HZ = 100;

async function settle(pid: number, maxMs: number): Promise<number> {
  const t0 = performance.now();
  let last = processTicks(pid);
  while (performance.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, 100));
    const now = processTicks(pid);
    if (now - last <= 0.1 * HZ * 0.1) break;
    last = now;
  }
  return performance.now() - t0;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0), so each scenario gets its own peak. */
function resetHwm(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns a server and waits for its readiness line (e.g. `Kalends listening on http://…`).
 * RSS is tracked two ways: the kernel's VmHWM (exact, reset per window) and a 50 ms VmRSS
 * sampler (the fallback where clear_refs is not writable).
 */
export async function startServer(opts: SpawnOptions): Promise<ServerProcess> {
  const spawnedAt = performance.now();
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  failed.catch(() => {});
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const origin = await Promise.race([waitReady(child, opts, () => stderr), failed]);
  const pid = child.pid!;
  let windowPeakKb = statusKb(pid, 'VmHWM');
  let lifetimeKb = windowPeakKb;
  let hwmResettable = true;
  const sampler = setInterval(() => {
    const kb = statusKb(pid, 'VmRSS');
    windowPeakKb = Math.max(windowPeakKb, kb);
    lifetimeKb = Math.max(lifetimeKb, kb);
  }, 50);
  sampler.unref();
  const readPeak = () => {
    const kb = Math.max(windowPeakKb, hwmResettable ? statusKb(pid, 'VmHWM') : 0);
    lifetimeKb = Math.max(lifetimeKb, kb);
    return kb;
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name: opts.name,
    pid,
    origin,
    spawnedAt,
    markRss() {
      readPeak();
      hwmResettable = resetHwm(pid);
      windowPeakKb = statusKb(pid, 'VmRSS');
    },
    peakRssMb: () => readPeak() / 1024,
    settle: (maxMs = 60_000) => settle(pid, maxMs),
    stderrTail: () => stderr.split('\n').slice(-30).join('\n'),
    lifetimePeakRssMb: () => { readPeak(); return lifetimeKb / 1024; },
    async stop(graceMs = 10_000) {
      clearInterval(sampler);
      if (child.exitCode !== null || child.signalCode !== null) return;
      readPeak();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function pollReady(child: ChildProcess, origin: string, opts: SpawnOptions, stderr: () => string): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  child.stdout!.resume();
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${opts.name} exited (${child.exitCode}) before it was ready\n${stderr()}`);
    try {
      await fetch(origin, { method: 'OPTIONS' });
      return origin;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${opts.name} did not answer on ${origin} in ${opts.timeoutMs ?? 60_000} ms\n${stderr()}`);
}

function waitReady(child: ChildProcess, opts: SpawnOptions, stderr: () => string): Promise<string> {
  const ready = opts.ready;
  if (!(ready instanceof RegExp)) return pollReady(child, ready.poll, opts, stderr);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.name} did not become ready in ${opts.timeoutMs ?? 60_000} ms\n${out}${stderr()}`));
    }, opts.timeoutMs ?? 60_000);
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onOut);
        child.stdout!.resume();
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onOut);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited (${code ?? signal}) before it was ready\n${out}${stderr()}`));
    });
  });
}
