import type { ConsoleApp, ConsoleDelivery } from '../../../store/repositories/console.ts';
import { iso } from '../format.ts';
import { Layout } from './layout.tsx';
import { href } from './parts.tsx';

export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'dead'] as const;

export interface DeliveriesData {
  deliveries: readonly ConsoleDelivery[];
  apps: readonly ConsoleApp[];
  filter: { app: string; status: string };
  limit: number;
}

/** Where a delivery goes: its callback URL, or the app's long connection. */
function target(d: ConsoleDelivery): string {
  return d.transport === 'stream' ? '(long connection)' : d.url;
}

function StatusText(props: { status: string }) {
  const cls = props.status === 'delivered' ? 'ok' : props.status === 'dead' ? 'bad' : '';
  return <span class={cls}>{props.status}</span>;
}

/** `/console/deliveries`: webhook deliveries, newest first, filtered by app and status. */
export function DeliveriesPage(props: DeliveriesData) {
  const clientIds = new Map(props.apps.map((a) => [a.id, `${a.client_id} (${a.platform})`]));
  return (
    <Layout title="Webhook deliveries">
      <form method="get" action="/console/deliveries" class="inline card">
        <label>App <select name="app">
          <option value="">any app</option>
          {props.apps.map((a) => <option value={a.id} selected={a.id === props.filter.app}>{a.client_id} ({a.platform})</option>)}
        </select></label>
        <label>Status <select name="status">
          <option value="">any status</option>
          {DELIVERY_STATUSES.map((s) => <option value={s} selected={s === props.filter.status}>{s}</option>)}
        </select></label>
        <button class="light" type="submit">Filter</button>
      </form>
      {props.deliveries.length === 0 ? <p class="muted">No deliveries{props.filter.app || props.filter.status ? ' match the filter' : ' yet'}.</p> : (
        <table>
          <thead><tr><th>#</th><th>Event type</th><th>App</th><th>URL</th><th>Status</th><th>Attempts</th><th>Last HTTP status</th><th>Last error</th><th>Created</th><th>Finished</th></tr></thead>
          <tbody>
            {props.deliveries.map((d) => (
              <tr>
                <td class="num"><a href={href.delivery(d.id)}>{d.id}</a></td>
                <td class="mono"><a href={href.delivery(d.id)}>{d.event_type}</a></td>
                <td class="mono">{clientIds.get(d.app_id) ?? d.app_id}</td>
                <td class="mono">{target(d)}</td>
                <td><StatusText status={d.status} /></td>
                <td class="num">{Number(d.attempts)}</td>
                <td class="num">{d.last_status ?? ''}</td>
                <td>{d.last_error ?? ''}</td>
                <td class="mono time">{iso(d.created_at)}</td>
                <td class="mono time">{iso(d.finished_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">Newest first, at most {props.limit}.</p>
    </Layout>
  );
}

export interface DeliveryData {
  delivery: ConsoleDelivery;
  appClientId: string;
  /** Bodies and headers with the app's callback secrets blanked out. */
  sentBody: string;
  sentHeaders: string;
  reply: string;
  payload: string;
}

/** `/console/deliveries/:id`: one delivery with what was sent, the reply and the plaintext payload. */
export function DeliveryPage(props: DeliveryData) {
  const d = props.delivery;
  return (
    <Layout title={`Delivery #${d.id}: ${d.event_type}`}>
      <div class="card">
        <dl class="kv">
          <dt>Event type</dt><dd class="mono">{d.event_type}</dd>
          <dt>Callback id</dt><dd class="mono">{d.event_id ?? ''}</dd>
          <dt>App</dt><dd class="mono">{props.appClientId}</dd>
          <dt>Transport</dt><dd>{d.transport === 'stream' ? 'long connection (DingTalk Stream Mode / Feishu WebSocket)' : 'HTTP callback'}</dd>
          <dt>URL</dt><dd class="mono">{target(d)}</dd>
          <dt>Status</dt><dd><StatusText status={d.status} /></dd>
          <dt>Attempts</dt><dd>{Number(d.attempts)}</dd>
          <dt>Next attempt</dt><dd class="mono">{(d.status === 'pending' || d.status === 'sending') && d.next_attempt_at > 0 ? `${iso(d.next_attempt_at)} (machine time)` : d.status === 'pending' ? 'now' : ''}</dd>
          <dt>Last HTTP status</dt><dd>{d.last_status ?? ''}</dd>
          <dt>Last error</dt><dd>{d.last_error ?? ''}</dd>
          <dt>Created</dt><dd class="mono">{iso(d.created_at)}</dd>
          <dt>Finished</dt><dd class="mono">{iso(d.finished_at)}</dd>
          <dt>Outbox message</dt><dd>{d.outbox_id ?? ''}</dd>
        </dl>
      </div>
      <p class="muted">Values of the app's callback secrets (Verification Token, keys) are shown as ***.</p>
      <h2>Body sent (last attempt)</h2>
      <pre id="sent-body">{props.sentBody || '(not sent yet)'}</pre>
      <h2>Headers sent</h2>
      <pre id="sent-headers">{props.sentHeaders || '(not sent yet)'}</pre>
      <h2>Reply</h2>
      <pre id="reply">{props.reply || '(no reply)'}</pre>
      <h2>Plaintext payload</h2>
      <pre id="payload">{props.payload}</pre>
    </Layout>
  );
}
