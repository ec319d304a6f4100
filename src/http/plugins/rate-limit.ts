/**
 * Per-app and per-method request limits in fixed windows, kept in this process's memory (each
 * node of a cluster counts its own requests). Feishu publishes, for each calendar method,
 * "1000 次/分钟、50 次/秒" (1,000 a minute and 50 a second per app).
 */
export interface RateLimits {
  methodPerSecond: number;
  methodPerMinute: number;
  appPerSecond: number;
}

export const FEISHU_RATE_LIMITS: RateLimits = { methodPerSecond: 50, methodPerMinute: 1000, appPerSecond: 100 };

/** Which limit a request broke, or null when it may go ahead. */
export type RateVerdict = 'method' | 'app' | null;

export class RateLimiter {
  private readonly counts = new Map<string, number>();
  private window = { second: -1, minute: -1 };

  constructor(private readonly limits: RateLimits) {}

  /**
   * Counts one request of `appId` to `method` at `now` (ms) and says whether it is over a limit.
   * A refused request is not counted.
   */
  take(appId: string, method: string, now: number): RateVerdict {
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / 60000);
    if (second !== this.window.second) this.reset('s:', second, minute);
    const keys = { ms: `s:${appId}:${method}`, mm: `m:${appId}:${method}`, as: `s:${appId}` };
    const next = (key: string) => (this.counts.get(key) ?? 0) + 1;
    if (next(keys.as) > this.limits.appPerSecond) return 'app';
    if (next(keys.ms) > this.limits.methodPerSecond || next(keys.mm) > this.limits.methodPerMinute) return 'method';
    for (const key of Object.values(keys)) this.counts.set(key, next(key));
    return null;
  }

  /** Drops the counts of windows that have passed, so memory stays bounded by the active apps. */
  private reset(prefix: string, second: number, minute: number): void {
    const newMinute = minute !== this.window.minute;
    for (const key of this.counts.keys()) if (key.startsWith(prefix) || (newMinute && key.startsWith('m:'))) this.counts.delete(key);
    this.window = { second, minute };
  }
}
