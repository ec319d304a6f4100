import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../core/clock.ts';
import type { Platform } from '../core/actor.ts';
import type { DeliveryRow } from '../store/repositories/deliveries.ts';
import {
  CONNECTION_REFRESH_MS, deleteConnection, insertConnection, refreshConnections,
} from '../store/repositories/stream-connections.ts';
import type { Store } from '../store/store.ts';
import type { AttemptOutcome, SentRequest } from './attempt-outcome.ts';
import type { PushTargets } from './stream-sender.ts';

/** What one push over a connection gave: what was sent and the acknowledgement (or why none). */
export interface PushResult {
  sent: SentRequest;
  outcome: AttemptOutcome;
}

/**
 * One open long connection of an app, in the platform's protocol (DingTalk Stream Mode:
 * `http/dingtalk/stream/`; Feishu's WebSocket client: `http/feishu/ws/`).
 */
export interface StreamConnection {
  /** The connection's id (DingTalk `connectionId`), also its row in `stream_connections`. */
  readonly id: string;
  readonly platform: Platform;
  /** Internal ids of the app and its tenant. */
  readonly appId: string;
  readonly tenantId: string;
  /** True once the socket is no longer open. */
  readonly closed: boolean;
  /**
   * Pushes one delivery and waits for its acknowledgement at most `timeoutMs`.
   * Never rejects: a dead socket or no answer is an outcome with `error`.
   */
  push(delivery: DeliveryRow, timeoutMs: number): Promise<PushResult>;
  /** Says goodbye in the protocol (DingTalk SYSTEM `disconnect`) and closes. */
  close(reason: string): void;
}

/** Told of every connection this hub adds and removes (the delivery thread mirrors them). */
export interface HubWatcher {
  opened(connection: StreamConnection): void;
  closed(connection: StreamConnection): void;
}

/** What a push that could not be made gives: nothing sent, and why. */
export function notPushed(error: string): PushResult {
  return { sent: { body: '', headers: '{}' }, outcome: { error } };
}

/**
 * This process's open long connections, by app, and their rows in the store: a row is written
 * when a connection opens, refreshed every CONNECTION_REFRESH_MS while it is open, deleted when
 * it closes. Fan-out plans stream deliveries for apps with a fresh row anywhere
 * (`receivesEvents`), and only the process holding a connection of the app claims them
 * (`StreamSender`), so with `--workers` or several nodes a push reaches the process that holds
 * the socket through the store, with no messages between processes. The refresh also carries
 * out close requests made through the admin API on any process. Its writes go through
 * `store.transaction`, which on SQLite waits for the write lock without stopping the event loop.
 */
export class StreamHub implements PushTargets {
  /** This process's name in `stream_connections.holder`. */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly byApp = new Map<string, StreamConnection[]>();
  private readonly byId = new Map<string, StreamConnection>();
  private readonly next = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private watcher: HubWatcher | undefined;

  constructor(private readonly store: Store, private readonly log: (message: string) => void) {}

  /** Starts refreshing this process's rows. */
  start(): void {
    this.timer = setInterval(() => void this.refresh(), CONNECTION_REFRESH_MS);
    this.timer.unref();
  }

  /** Stops refreshing and closes every connection (DingTalk ones say `disconnect` first). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.byId.values()];
    for (const connection of all) connection.close('the server is shutting down');
    await Promise.all(all.map((c) => this.remove(c)));
  }

  /** Records a connection that just opened (its row first, so fan-out sees it). */
  async add(connection: StreamConnection): Promise<void> {
    const now = systemClock.now();
    await this.store.transaction((tx) => insertConnection(tx, {
      id: connection.id, tenant_id: connection.tenantId, app_id: connection.appId, holder: this.holder, opened_at: now, seen_at: now,
    }));
    this.byId.set(connection.id, connection);
    this.byApp.set(connection.appId, [...(this.byApp.get(connection.appId) ?? []), connection]);
    this.watcher?.opened(connection);
    // Closed while its row was being written: its close handler found nothing to remove.
    if (connection.closed) await this.remove(connection);
  }

  /** Forgets a connection that closed. */
  async remove(connection: StreamConnection): Promise<void> {
    if (!this.byId.delete(connection.id)) return;
    const left = (this.byApp.get(connection.appId) ?? []).filter((c) => c !== connection);
    if (left.length > 0) this.byApp.set(connection.appId, left);
    else this.byApp.delete(connection.appId);
    this.watcher?.closed(connection);
    try {
      await this.store.transaction((tx) => deleteConnection(tx, connection.id));
    } catch (error) {
      this.log(`could not delete stream connection ${connection.id}: ${(error as Error).message}`);
    }
  }

  /** Tells `watcher` of the connections open now, then of every one added or removed. */
  watch(watcher: HubWatcher | undefined): void {
    this.watcher = watcher;
    if (watcher) for (const connection of this.byId.values()) watcher.opened(connection);
  }

  /** The connection open here with this id, if any. */
  connection(id: string): StreamConnection | undefined {
    return this.byId.get(id);
  }

  /** Whether the app has a connection open here. */
  holds(appId: string): boolean {
    return this.byApp.has(appId);
  }

  /** Internal ids of the apps with a connection open here. */
  apps(): string[] {
    return [...this.byApp.keys()];
  }

  /**
   * One of the app's connections here, taking turns (the platforms give each push to one
   * connection of the app, spreading the load); undefined when none is open.
   */
  pick(appId: string): StreamConnection | undefined {
    return inTurn(this.byApp.get(appId), this.next, appId);
  }

  private async refresh(): Promise<void> {
    try {
      const open = [...this.byId.keys()];
      const closing = await this.store.transaction((tx) => refreshConnections(tx, this.holder, open, systemClock.now()));
      for (const id of closing) {
        const connection = this.byId.get(id);
        if (!connection) continue;
        connection.close('the connection was closed through the admin API');
        await this.remove(connection);
      }
    } catch (error) {
      this.log(`stream connections refresh failed: ${(error as Error).message}`);
    }
  }
}

/**
 * One of an app's open connections, taking turns (`next` holds each app's next turn); undefined
 * when it has none.
 */
export function inTurn<T>(open: readonly T[] | undefined, next: Map<string, number>, appId: string): T | undefined {
  if (!open || open.length === 0) return undefined;
  const turn = (next.get(appId) ?? 0) % open.length;
  next.set(appId, turn + 1);
  return open[turn];
}
