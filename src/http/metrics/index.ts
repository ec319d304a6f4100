import type { FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { deliveryTotals, outboxBacklog } from '../../store/repositories/operations-stats.ts';
import { isAdmin, isLoopbackName } from '../admin/admin-auth.ts';
import type { AppDeps, HttpApp } from '../deps.ts';
import { idempotencyOutcome } from '../plugins/idempotency.ts';

export interface MetricsOptions {
  /** Let loopback clients scrape without the admin token (`--metrics-open on`). */
  openOnLoopback: boolean;
}

/** The surface a request went to, by its path: a label of every request metric. */
export function dialectOf(url: string): string {
  if (url.startsWith('/v1.0/')) return 'dingtalk';
  if (url.startsWith('/open-apis/') || url.startsWith('//open-apis/')) return 'feishu';
  if (url.startsWith('/admin/')) return 'admin';
  if (url.startsWith('/console')) return 'console';
  return 'other';
}

/** Whether a peer address is this machine's loopback (IPv4, IPv6, or IPv4-mapped IPv6). */
function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && isLoopbackName(address.replace(/^::ffff:/, ''));
}

/**
 * `GET /metrics` in the Prometheus text format (prom-client), for the admin token (or, with
 * `--metrics-open on`, any loopback client):
 * - `kalends_http_requests_total{dialect,route,method,status}` and
 *   `kalends_http_request_duration_seconds{dialect,route,method}`: `route` is the route's template
 *   (`/v1.0/calendar/users/:userId/…`), `unmatched` for paths no route serves;
 * - `kalends_idempotency_requests_total{dialect,outcome}`: writes that carried an idempotency key,
 *   `replayed` (the stored reply, a cache hit) or `executed`;
 * - `kalends_outbox_pending`, `kalends_outbox_oldest_pending_age_seconds`;
 * - `kalends_deliveries{status,platform}`, `kalends_delivery_attempts{status,platform}` (dead
 *   letters are `status="dead"`);
 * - SQLite: `kalends_sqlite_wal_bytes`, `kalends_sqlite_checkpoints_total`; PostgreSQL:
 *   `kalends_pg_pool_connections{state="in_use"|"idle"}`, `kalends_pg_pool_waiting`;
 * - prom-client's process and Node.js metrics (memory, `nodejs_eventloop_lag_seconds`, …).
 * The store's gauges are read when scraped. Must be registered before the routes it counts.
 */
export function registerMetrics(app: HttpApp, deps: AppDeps, options: MetricsOptions): void {
  const register = new Registry();
  collectDefaultMetrics({ register });
  const requests = new Counter({
    name: 'kalends_http_requests_total', help: 'HTTP requests answered, by dialect, route template, method and status.',
    labelNames: ['dialect', 'route', 'method', 'status'], registers: [register],
  });
  const latency = new Histogram({
    name: 'kalends_http_request_duration_seconds', help: 'Time to answer a request, seconds, by dialect, route template and method.',
    labelNames: ['dialect', 'route', 'method'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [register],
  });
  const idempotent = new Counter({
    name: 'kalends_idempotency_requests_total', help: 'Writes that carried an idempotency key: replayed (the stored reply) or executed.',
    labelNames: ['dialect', 'outcome'], registers: [register],
  });
  registerStoreGauges(register, deps);

  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const dialect = dialectOf(request.routeOptions.url ?? request.url);
    requests.inc({ dialect, route, method: request.method, status: String(reply.statusCode) });
    latency.observe({ dialect, route, method: request.method }, reply.elapsedTime / 1000);
    const outcome = idempotencyOutcome(request);
    if (outcome) idempotent.inc({ dialect, outcome });
  });

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const allowed = (options.openOnLoopback && isLoopbackAddress(request.socket.remoteAddress)) || isAdmin(request, deps.sandbox);
    if (!allowed) return reply.code(401).send({ code: 'ACCESS_TOKEN_INVALID', message: 'the admin token is missing or wrong' });
    return reply.type(register.contentType).send(await register.metrics());
  });
}

/** Gauges read from the store at each scrape: the outbox, the deliveries, the store's own state. */
function registerStoreGauges(register: Registry, deps: AppDeps): void {
  const { store } = deps;
  new Gauge({
    name: 'kalends_outbox_pending', help: 'Outbox messages not yet delivered.', registers: [register],
    async collect() {
      this.set((await outboxBacklog(store.db)).pending);
    },
  });
  new Gauge({
    name: 'kalends_outbox_oldest_pending_age_seconds', help: 'Age of the oldest undelivered outbox message, seconds (0 when none).', registers: [register],
    async collect() {
      const { oldestCreatedAt } = await outboxBacklog(store.db);
      this.set(oldestCreatedAt === null ? 0 : Math.max(0, (deps.clock.now() - oldestCreatedAt) / 1000));
    },
  });
  let totals: Promise<Awaited<ReturnType<typeof deliveryTotals>>> | null = null;
  // One query serves both delivery gauges of a scrape.
  const readTotals = () => (totals ??= deliveryTotals(store.db).finally(() => setImmediate(() => (totals = null))));
  new Gauge({
    name: 'kalends_deliveries', help: 'Event callbacks by status (pending, sending, delivered, dead) and platform.',
    labelNames: ['status', 'platform'], registers: [register],
    async collect() {
      this.reset();
      for (const row of await readTotals()) this.set({ status: row.status, platform: row.platform }, row.count);
    },
  });
  new Gauge({
    name: 'kalends_delivery_attempts', help: 'Attempts made for the event callbacks, by their status and platform.',
    labelNames: ['status', 'platform'], registers: [register],
    async collect() {
      this.reset();
      for (const row of await readTotals()) this.set({ status: row.status, platform: row.platform }, row.attempts);
    },
  });
  if (store.dialect === 'sqlite') {
    new Gauge({
      name: 'kalends_sqlite_wal_bytes', help: 'Size of the SQLite WAL file, bytes.', registers: [register],
      collect() {
        const s = store.stats();
        if (s.dialect === 'sqlite') this.set(s.walBytes);
      },
    });
    new Counter({
      name: 'kalends_sqlite_checkpoints_total', help: 'Background WAL checkpoints that copied pages back into the database file.', registers: [register],
      collect() {
        const s = store.stats();
        if (s.dialect !== 'sqlite') return;
        this.reset();
        this.inc(s.checkpoints);
      },
    });
  } else {
    new Gauge({
      name: 'kalends_pg_pool_connections', help: 'PostgreSQL pool connections of this process, in use or idle.',
      labelNames: ['state'], registers: [register],
      collect() {
        const s = store.stats();
        if (s.dialect !== 'postgres') return;
        this.set({ state: 'in_use' }, s.total - s.idle);
        this.set({ state: 'idle' }, s.idle);
      },
    });
    new Gauge({
      name: 'kalends_pg_pool_waiting', help: 'Queries waiting for a PostgreSQL pool connection.', registers: [register],
      collect() {
        const s = store.stats();
        if (s.dialect === 'postgres') this.set(s.waiting);
      },
    });
  }
}
