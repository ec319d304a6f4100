import type { Clock } from '../clock.ts';
import type { Db } from '../../store/store.ts';
import { getSetting, putSetting } from '../../store/repositories/sandbox.ts';

const OFFSET_KEY = 'clock_offset_ms';

/**
 * The server clock of the sandbox: the machine's time plus an offset (ms) an admin sets to
 * test token expiry (7,200 s) and idempotency windows (one day). The offset is stored, so every
 * process of a deployment shifts together; each process re-reads it with `refresh`.
 */
export class SandboxClock implements Clock {
  private offsetMs = 0;
  private readonly listeners: Array<(offsetMs: number) => void> = [];

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** The current shift, ms (positive: the server lives in the future). */
  get offset(): number {
    return this.offsetMs;
  }

  /** Reads the stored offset. */
  async refresh(db: Db): Promise<void> {
    const stored = await getSetting(db, OFFSET_KEY);
    this.offsetMs = stored === undefined ? 0 : Number(stored);
  }

  /** Stores (in the caller's transaction) and applies a new offset (ms); 0 returns to the machine's time. */
  async shift(db: Db, offsetMs: number): Promise<void> {
    await putSetting(db, OFFSET_KEY, String(Math.trunc(offsetMs)));
    this.apply(Math.trunc(offsetMs));
    for (const listener of this.listeners) listener(this.offsetMs);
  }

  /** Applies an offset (ms) stored elsewhere, at once (the delivery thread, told by its process). */
  apply(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  /** Calls `listener` with the new offset (ms) after each `shift` of this clock. */
  onShift(listener: (offsetMs: number) => void): void {
    this.listeners.push(listener);
  }
}
