// Spawns the real `kalends` binary as a child process and talks to it only over the network.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, testDatabaseUrl } from './postgres.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The binary under test. KALENDS_TEST_BIN lets you point the suite at another build. */
export const KALENDS_BIN = process.env.KALENDS_TEST_BIN ?? path.join(PROJECT_ROOT, 'bin', 'kalends.mjs');

export const LISTEN_RE = /Kalends listening on http:\/\/([^\s:/]+):(\d+)/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

const tmpDirs = new Set<string>();

export async function makeTmpDir(prefix = 'kalends-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tmpDirs.add(dir);
  return dir;
}

export async function removeTmpDir(dir: string): Promise<void> {
  tmpDirs.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/** A running (or finished) kalends process with its captured output. */
export interface Proc {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnKalends(args: string[], env: Record<string, string | undefined> = {}): Proc {
  const fullEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Never leak the parent's KALENDS_* settings into a child unless the test sets them.
    if (v !== undefined && !k.startsWith('KALENDS_')) fullEnv[k] = v;
  }
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined) fullEnv[k] = v;
  }
  const child = spawn(process.execPath, [KALENDS_BIN, ...args], {
    cwd: PROJECT_ROOT,
    env: fullEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    out += d;
  });
  child.stderr!.on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      // Let the pipes drain before reporting.
      setImmediate(() => resolve({ code, signal }));
    });
    child.on('error', (e) => {
      live.delete(child);
      err += `\n[spawn error] ${String(e)}`;
      resolve({ code: -1, signal: null });
    });
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until stdout contains the listening line; rejects (with the output) on exit or timeout. */
export function waitForListening(proc: Proc, timeoutMs = START_TIMEOUT_MS): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      fn();
    };
    const check = () => {
      const m = LISTEN_RE.exec(proc.stdout());
      if (m) finish(() => resolve({ host: m[1]!, port: Number(m[2]) }));
    };
    const poll = setInterval(check, 20);
    const timer = setTimeout(() => {
      finish(() => {
        proc.child.kill('SIGKILL');
        reject(
          new Error(
            `kalends did not print its listening line within ${timeoutMs} ms\n--- stdout ---\n${proc.stdout()}\n--- stderr ---\n${proc.stderr()}`,
          ),
        );
      });
    }, timeoutMs);
    proc.exited.then(({ code, signal }) => {
      check();
      finish(() =>
        reject(
          new Error(
            `kalends exited (code ${code}, signal ${signal}) before listening\n--- stdout ---\n${proc.stdout()}\n--- stderr ---\n${proc.stderr()}`,
          ),
        ),
      );
    });
  });
}

/** Sends SIGTERM and waits for the exit code (SIGKILL + throw if it hangs). */
export async function stopProc(proc: Proc): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
    return (await proc.exited).code;
  }
  proc.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  const result = await Promise.race([proc.exited, timeout]);
  clearTimeout(timer);
  if (result === 'timeout') {
    proc.child.kill('SIGKILL');
    await proc.exited;
    throw new Error(`kalends did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM\n--- stderr ---\n${proc.stderr()}`);
  }
  return result.code;
}

export interface StartOptions {
  /** Directory object (written to a file), a path to an existing file, or null for no --directory. */
  directory?: unknown;
  /** Reuse this data dir instead of a fresh tmpdir. */
  dataDir?: string;
  extraArgs?: string[];
  env?: Record<string, string | undefined>;
  /** The store; default from KALENDS_TEST_STORE (sqlite unless `postgres`). */
  store?: 'sqlite' | 'postgres';
  /** Use this PostgreSQL database (implies the postgres store), e.g. to share it between servers. */
  databaseUrl?: string;
}

export interface KalendsServer {
  readonly port: number;
  /** `127.0.0.1:PORT`, the form the DingTalk SDK's Config.endpoint wants. */
  readonly endpoint: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  readonly dataDir: string;
  /** The PostgreSQL database, when the server runs on PostgreSQL. */
  readonly databaseUrl: string | undefined;
  readonly directoryPath: string | null;
  stdout(): string;
  stderr(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process dies at once, mid-request if need be (crash tests). */
  kill(): Promise<void>;
  /** The server process id (for sending signals). */
  readonly pid: number | undefined;
  /** stop() (asserting nothing) and start again with the same data dir and directory. Returns the stop exit code. */
  restart(): Promise<number | null>;
  /** stop() if running and remove the tmpdirs this helper created. */
  cleanup(): Promise<void>;
}

export async function startServer(opts: StartOptions = {}): Promise<KalendsServer> {
  const ownTmp = await makeTmpDir();
  const dataDir = opts.dataDir ?? path.join(ownTmp, 'data');
  await mkdir(dataDir, { recursive: true });
  let directoryPath: string | null = null;
  if (typeof opts.directory === 'string') {
    directoryPath = opts.directory;
  } else if (opts.directory !== undefined && opts.directory !== null) {
    directoryPath = path.join(ownTmp, 'directory.json');
    await writeFile(directoryPath, JSON.stringify(opts.directory));
  }
  const args = ['start', '--host', '127.0.0.1', '--port', '0', '--data', dataDir];
  // The whole suite runs once per store: KALENDS_TEST_STORE=postgres gives every server a fresh
  // database on the test cluster (the same one across restarts).
  const store = opts.store ?? (process.env.KALENDS_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite');
  const databaseUrl = opts.databaseUrl ?? (store === 'postgres' ? await createDatabase(testDatabaseUrl()) : undefined);
  if (databaseUrl) args.push('--database-url', databaseUrl);
  if (directoryPath) args.push('--directory', directoryPath);
  args.push(...(opts.extraArgs ?? []));

  let proc: Proc;
  let port = 0;
  let running = false;
  const launch = async () => {
    proc = spawnKalends(args, opts.env ?? {});
    const addr = await waitForListening(proc);
    port = addr.port;
    running = true;
  };
  await launch();

  const stop = async () => {
    if (!running) return (await proc.exited).code;
    running = false;
    return stopProc(proc);
  };

  return {
    get port() {
      return port;
    },
    get endpoint() {
      return `127.0.0.1:${port}`;
    },
    get baseUrl() {
      return `http://127.0.0.1:${port}`;
    },
    dataDir,
    databaseUrl,
    directoryPath,
    stdout: () => proc.stdout(),
    stderr: () => proc.stderr(),
    stop,
    get pid() {
      return proc.child.pid;
    },
    async kill() {
      if (!running) return;
      running = false;
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
    async restart() {
      const code = await stop();
      await launch();
      return code;
    },
    async cleanup() {
      try {
        await stop();
      } finally {
        await removeTmpDir(ownTmp);
      }
    },
  };
}

/** Polls `pred` every 20 ms until true or the deadline passes (not a timing assertion; only a bounded wait). */
export async function waitUntil(pred: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return pred();
}
