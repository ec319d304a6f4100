import type { ApiCall } from '../../plugins/api-log.ts';
import { iso, prettyJson } from '../format.ts';
import { Layout } from './layout.tsx';
import { href } from './parts.tsx';

export interface ApiCallsData {
  calls: readonly ApiCall[];
  /** Client ids of apps by internal id (the log keeps the internal id). */
  appClientIds: ReadonlyMap<string, string>;
  q: string;
  kept: number;
}

function StatusCell(props: { status: number }) {
  return <td class={`num ${props.status >= 400 ? 'bad' : 'ok'}`}>{props.status}</td>;
}

/** `/console/api-calls`: this process's last DingTalk and Feishu API calls, newest first. */
export function ApiCallsPage(props: ApiCallsData) {
  return (
    <Layout title="API calls">
      <form method="get" action="/console/api-calls" class="inline card">
        <input type="search" name="q" value={props.q} placeholder="path, app or status (e.g. 429)" size={40} aria-label="Filter API calls" />
        <button class="light" type="submit">Filter</button>
        <span class="muted">The last {props.kept} calls this server process answered; bodies with secrets masked.</span>
      </form>
      {props.calls.length === 0 ? <p class="muted">No API calls{props.q ? ' match the filter' : ' yet'}.</p> : (
        <table id="api-calls">
          <thead><tr><th>Time</th><th>Method</th><th>Path</th><th>Status</th><th>Latency</th><th>App</th><th>Request id</th></tr></thead>
          <tbody>
            {props.calls.map((c) => (
              <tr>
                <td class="mono time">{iso(c.at)}</td>
                <td>{c.method}</td>
                <td class="mono"><a href={href.apiCall(c.id)}>{c.url}</a></td>
                <StatusCell status={c.status} />
                <td class="num">{c.latencyMs} ms</td>
                <td class="mono">{c.app ? (props.appClientIds.get(c.app) ?? c.app) : ''}</td>
                <td class="mono"><a href={href.apiCall(c.id)}>{c.id}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** `/console/api-calls/:id`: one call with its request and reply bodies (secrets already masked). */
export function ApiCallPage(props: { call: ApiCall; appClientId: string }) {
  const c = props.call;
  return (
    <Layout title={`${c.method} ${c.url.split('?')[0]} → ${c.status}`}>
      <div class="card">
        <dl class="kv">
          <dt>Request id</dt><dd class="mono">{c.id}</dd>
          <dt>Time</dt><dd class="mono">{iso(c.at)}</dd>
          <dt>Method</dt><dd>{c.method}</dd>
          <dt>URL</dt><dd class="mono">{c.url}</dd>
          <dt>Status</dt><dd>{c.status}</dd>
          <dt>Latency</dt><dd>{c.latencyMs} ms</dd>
          <dt>App</dt><dd class="mono">{props.appClientId}</dd>
        </dl>
      </div>
      <h2>Request body</h2>
      <pre id="request-body">{c.requestBody === null || c.requestBody === undefined ? '(none)' : JSON.stringify(c.requestBody, null, 2)}</pre>
      <h2>Reply body</h2>
      <pre id="reply-body">{c.replyBody ? prettyJson(c.replyBody) : '(empty)'}</pre>
    </Layout>
  );
}
