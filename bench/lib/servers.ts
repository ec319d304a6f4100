import path from 'node:path';
import type { Bench } from './bench.ts';
import { writeDirectory } from './directory.ts';
import { DingTalk, Feishu, startKalends } from './kalends.ts';
import type { ServerProcess } from './server-process.ts';
import { startReference } from '../scenarios/references.ts';

/**
 * The servers of a run, each started on first use and kept until the end, so a Kalends row can
 * be measured right after its reference row (less time between them, less drift on a shared machine).
 */
export class Servers {
  private started = new Map<string, Promise<ServerProcess>>();
  private dt?: Promise<DingTalk>;
  private fs?: Promise<Feishu | null>;
  /** Kalends' peak RSS over its whole life, read before it stops. */
  kalendsPeakMb: number | null = null;

  constructor(private readonly bench: Bench, private readonly tmp: string) {}

  private start(name: string, f: () => Promise<ServerProcess>): Promise<ServerProcess> {
    let p = this.started.get(name);
    if (!p) {
      const t0 = Date.now();
      p = f().then((s) => {
        this.bench.log(`  (${name} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${s.origin}, pid ${s.pid})`);
        return s;
      });
      this.started.set(name, p);
    }
    return p;
  }

  baseline = () => this.start('baseline', () => startReference('baseline', this.tmp));
  ceiling = () => this.start('ceiling', () => startReference('ceiling', this.tmp));
  /** The PostgreSQL ceiling, in the database Kalends runs on (--database-url). */
  pgCeiling = () => this.start('pg-ceiling', () => startReference('pg-ceiling', this.tmp, this.bench.options.databaseUrl));
  kalends = () => this.start('kalends', () => {
    const directory = path.join(this.tmp, 'directory.json');
    writeDirectory(directory);
    return startKalends(this.bench.options, path.join(this.tmp, 'kalends'), directory);
  });
  /** A second Kalends process on the same PostgreSQL (--database-url), started after the first. */
  kalends2 = () => this.start('kalends-2', async () => {
    await this.kalends();
    return startKalends(this.bench.options, path.join(this.tmp, 'kalends-2'), path.join(this.tmp, 'directory.json'));
  });

  dingtalk(): Promise<DingTalk> {
    this.dt ??= this.kalends().then((k) => DingTalk.connect(k.origin));
    return this.dt;
  }

  /** The Feishu dialect, or null (its rows are skipped) when this Kalends does not answer it. */
  feishu(): Promise<Feishu | null> {
    this.fs ??= this.kalends().then((k) => Feishu.connect(k.origin)).catch((error: Error) => {
      this.bench.log(`  feishu rows skipped: the Feishu dialect did not answer (${error.message.split('\n')[0]})`);
      return null;
    });
    return this.fs;
  }

  /** Stops one server now (the baseline is not needed after its row). */
  async stop(name: string): Promise<void> {
    const p = this.started.get(name);
    if (!p) return;
    this.started.delete(name);
    await (await p.catch(() => null))?.stop();
  }

  async stopAll(): Promise<void> {
    const k = this.started.get('kalends');
    const kalends = k && (await k.catch(() => null));
    if (kalends) this.kalendsPeakMb = kalends.lifetimePeakRssMb();
    for (const name of [...this.started.keys()]) await this.stop(name);
  }

  /** The last stderr lines of Kalends, if it runs (for a failure message). */
  async kalendsStderr(): Promise<string> {
    const k = this.started.get('kalends');
    return k ? (await k.catch(() => null))?.stderrTail() ?? '' : '';
  }
}
