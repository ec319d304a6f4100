import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';

/** What the HTTP layer needs from the rest of Kalends, passed in by `buildApp`. */
export interface AppDeps {
  store: Store;
  clock: Clock;
}

/** The Fastify instance type the route files register on (TypeBox schemas give typed requests). */
export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
