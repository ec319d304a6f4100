import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../core/clock.ts';
import type { FaultBoard } from '../core/sandbox/faults.ts';
import type { SandboxClock } from '../core/sandbox/sandbox-clock.ts';
import type { Store } from '../store/store.ts';
import type { ApiLog } from './plugins/api-log.ts';

/** The sandbox's controls, shared by the API dialects (faults, clock) and the console. */
export interface Sandbox {
  clock: SandboxClock;
  faults: FaultBoard;
  apiLog: ApiLog;
  /** The console's and admin API's token; null: they are open (loopback only). */
  adminToken: string | null;
  /** Re-reads what other processes may have changed (clock offset, armed faults). */
  refresh(): Promise<void>;
}

/** What the HTTP layer needs from the rest of Kalends, passed in by `buildApp`. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  sandbox: Sandbox;
}

/** The Fastify instance type the route files register on (TypeBox schemas give typed requests). */
export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
