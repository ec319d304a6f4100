import type { Platform } from '../actor.ts';
import { ERROR_CODES, fail, KalendsError, type ErrorCode } from '../errors.ts';
import type { Db } from '../../store/store.ts';
import { findApp } from '../../store/repositories/directory.ts';
import { deleteFault, insertFault, listArmedFaults, takeFault, type FaultRow } from '../../store/repositories/sandbox.ts';

/** What an admin asks for: the next `count` calls of `operation` by the app go wrong this way. */
export interface FaultSpec {
  platform: Platform;
  /** DingTalk appKey or Feishu app_id. */
  clientId: string;
  /** SDK operation name (`addAttendee`, `calendarEventAttendee.create`), `METHOD /path/:param`, or `*` (any). */
  operation: string;
  /** A catalogue code, answered in the platform's own error format. */
  error?: ErrorCode;
  /** An HTTP status to answer with: 429 (throttled) or 500-599; the body is the platform's. */
  httpStatus?: number;
  /** Delay before the call is answered (ms), alone or with an error. */
  latencyMs?: number;
  count: number;
}

/**
 * Arms a fault.
 * @throws KalendsError INVALID_PARAMETER for an unknown app or code, a status other than 429
 *   and 5xx, or a fault that does nothing.
 */
export async function injectFault(db: Db, spec: FaultSpec, now: number): Promise<FaultRow> {
  const app = await findApp(db, spec.platform, spec.clientId);
  if (!app) fail('INVALID_PARAMETER', `no ${spec.platform} app ${spec.clientId}`);
  if (spec.error !== undefined && !ERROR_CODES.includes(spec.error)) fail('INVALID_PARAMETER', `unknown error code ${spec.error}`);
  if (spec.httpStatus !== undefined && spec.httpStatus !== 429 && (spec.httpStatus < 500 || spec.httpStatus > 599)) {
    fail('INVALID_PARAMETER', 'httpStatus must be 429 or 500-599');
  }
  if (spec.error === undefined && spec.httpStatus === undefined && !spec.latencyMs) fail('INVALID_PARAMETER', 'give an error, an httpStatus or a latencyMs');
  return insertFault(db, {
    app_id: app.id, operation: spec.operation, error_code: spec.error ?? null, http_status: spec.httpStatus ?? null,
    latency_ms: spec.latencyMs ?? 0, remaining: spec.count, created_at: now,
  });
}

export { deleteFault as clearFault, listArmedFaults };

/**
 * The faults each process checks on every API call, without a query per call: the apps that
 * have armed faults are re-read every `refresh` (the dispatcher's tick and every admin change),
 * and only their calls go to the store to take one.
 */
export class FaultBoard {
  private armedApps = new Set<string>();

  /** Whether any app has an armed fault (a cheap test before looking an app up). */
  get armed(): boolean {
    return this.armedApps.size > 0;
  }

  async refresh(db: Db): Promise<void> {
    this.armedApps = new Set((await listArmedFaults(db)).map((f) => f.app_id));
  }

  /**
   * Spends one armed fault of the app for this call, if any: waits its latency, then throws
   * its error.
   * @param operations the call's names (SDK operation name, `METHOD /path`); `*` is added.
   * @throws KalendsError the fault's code (INTERNAL for a bare 5xx, RATE_LIMITED for a bare
   *   429), with `detail.httpStatus` when the fault sets the status.
   */
  async apply(db: Db, appId: string, operations: readonly string[]): Promise<void> {
    if (!this.armedApps.has(appId)) return;
    const fault = await takeFault(db, appId, [...operations, '*']);
    if (!fault) return;
    if (fault.latency_ms > 0) await new Promise((resolve) => setTimeout(resolve, fault.latency_ms));
    if (fault.error_code === null && fault.http_status === null) return;
    const code = (fault.error_code ?? (fault.http_status === 429 ? 'RATE_LIMITED' : 'INTERNAL')) as ErrorCode;
    throw new KalendsError(code, `injected fault #${fault.id}`, fault.http_status === null ? undefined : { httpStatus: fault.http_status });
  }
}
