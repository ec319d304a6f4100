import type { DirectoryLoadSummary } from '../../../core/directory/load-directory.ts';
import type { FaultRow } from '../../../store/repositories/sandbox.ts';
import type { ConsoleApp } from '../../../store/repositories/console.ts';
import { iso, offsetText } from '../format.ts';
import { Layout } from './layout.tsx';

/** A token minted by this request, shown once. */
export interface MintedToken {
  token: string;
  expiresAt: number;
  userName: string;
  app: string;
}

export interface SandboxData {
  apps: readonly ConsoleApp[];
  faults: readonly FaultRow[];
  /** Operation names faults may aim at (both SDKs'), for the datalist. */
  operations: readonly string[];
  errorCodes: readonly string[];
  now: number;
  offsetMs: number;
  error?: string | undefined;
  info?: string | undefined;
  minted?: MintedToken | undefined;
  directorySummary?: DirectoryLoadSummary | undefined;
  /** The directory text sent, kept in the textarea when it was refused. */
  directoryText?: string | undefined;
}

function appLabel(a: ConsoleApp): string {
  return `${a.platform === 'dingtalk' ? 'DingTalk' : 'Feishu'} · ${a.client_id}`;
}

/** The app select of the forms: values are `platform:clientId`, what the core functions take. */
function AppSelect(props: { apps: readonly ConsoleApp[]; id: string }) {
  return (
    <select name="app" id={props.id} required>
      {props.apps.map((a) => <option value={`${a.platform}:${a.client_id}`}>{appLabel(a)}</option>)}
    </select>
  );
}

function faultText(f: FaultRow): string {
  const parts = [f.error_code ? `error ${f.error_code}` : '', f.http_status ? `HTTP ${f.http_status}` : '', f.latency_ms ? `${f.latency_ms} ms latency` : ''];
  return parts.filter(Boolean).join(' + ');
}

function Faults(props: SandboxData) {
  return (
    <section class="card" id="faults">
      <h2>Inject a fault</h2>
      <p class="muted">The app's next calls of the operation fail (in the platform's own error format) or are slowed.</p>
      <form method="post" action="/console/sandbox/faults" class="stack">
        <label for="fault-app">App</label>
        <AppSelect apps={props.apps} id="fault-app" />
        <label for="fault-operation">Operation (SDK name, <code>METHOD /path/:param</code>, or <code>*</code>)</label>
        <input id="fault-operation" name="operation" value="*" list="operations" required />
        <datalist id="operations">{props.operations.map((o) => <option value={o} />)}</datalist>
        <label for="fault-kind">Fault</label>
        <select id="fault-kind" name="kind">
          <optgroup label="HTTP status">
            <option value="http:429">HTTP 429 (throttled)</option>
            <option value="http:500">HTTP 500</option>
            <option value="http:503">HTTP 503</option>
          </optgroup>
          <optgroup label="Error code">
            {props.errorCodes.map((c) => <option value={`error:${c}`}>{c}</option>)}
          </optgroup>
          <optgroup label="Latency only">
            <option value="latency">latency (ms below)</option>
          </optgroup>
        </select>
        <label for="fault-latency">Latency, ms (optional with an error)</label>
        <input id="fault-latency" name="latencyMs" type="number" min="0" max="60000" value="0" />
        <label for="fault-count">Count (calls spoiled)</label>
        <input id="fault-count" name="count" type="number" min="1" max="10000" value="1" required />
        <button type="submit">Inject fault</button>
      </form>
    </section>
  );
}

/** The faults still armed, each with a clear button. */
function ArmedFaults(props: SandboxData) {
  const clientIds = new Map(props.apps.map((a) => [a.id, appLabel(a)]));
  return (
    <section class="card" id="armed">
      <h2>Armed faults</h2>
      {props.faults.length === 0 ? <p class="muted" id="no-faults">No armed faults.</p> : (
        <table id="armed-faults">
          <thead><tr><th>#</th><th>App</th><th>Operation</th><th>Fault</th><th>Remaining</th><th>Armed</th><th></th></tr></thead>
          <tbody>
            {props.faults.map((f) => (
              <tr>
                <td class="num">{f.id}</td>
                <td class="mono">{clientIds.get(f.app_id) ?? f.app_id}</td>
                <td class="mono">{f.operation}</td>
                <td>{faultText(f)}</td>
                <td class="num">{Number(f.remaining)}</td>
                <td class="mono time">{iso(f.created_at)}</td>
                <td>
                  <form method="post" action={`/console/sandbox/faults/${f.id}/clear`} class="inline">
                    <button class="light" type="submit">Clear</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Mint(props: SandboxData) {
  return (
    <section class="card" id="mint">
      <h2>Mint a user token</h2>
      <p class="muted">A user access token for any active user, without a login (Feishu <code>u-…</code>; DingTalk user token). Shown once.</p>
      {props.minted && (
        <div class="msg info" id="minted">
          <div>Token for <strong>{props.minted.userName}</strong> via {props.minted.app}, expires {iso(props.minted.expiresAt)}:</div>
          <div class="token mono" id="minted-token">{props.minted.token}</div>
        </div>
      )}
      <form method="post" action="/console/sandbox/mint" class="stack">
        <label for="mint-app">App</label>
        <AppSelect apps={props.apps} id="mint-app" />
        <label for="mint-user">User (unionId, openId or userId)</label>
        <input id="mint-user" name="user" required />
        <button type="submit">Mint token</button>
      </form>
    </section>
  );
}

function Clock(props: SandboxData) {
  return (
    <section class="card" id="clock">
      <h2>Server clock</h2>
      <dl class="kv">
        <dt>Server now</dt><dd class="mono" id="server-now">{iso(props.now)}</dd>
        <dt>Offset</dt><dd class="mono" id="clock-offset">{offsetText(props.offsetMs)} ({props.offsetMs} ms)</dd>
      </dl>
      <form method="post" action="/console/sandbox/clock" class="stack">
        <input type="hidden" name="mode" value="set" />
        <label for="clock-hours">Set the offset: hours</label>
        <input id="clock-hours" name="hours" type="number" step="1" value="0" />
        <label for="clock-minutes">and minutes</label>
        <input id="clock-minutes" name="minutes" type="number" step="1" value="0" />
        <button type="submit">Set offset</button>
      </form>
      <form method="post" action="/console/sandbox/clock" class="inline">
        <input type="hidden" name="mode" value="advance" />
        <label>Advance by <input name="minutes" type="number" step="1" value="60" size={6} /> minutes</label>
        <button type="submit">Advance</button>
      </form>
      <form method="post" action="/console/sandbox/clock" class="inline">
        <input type="hidden" name="mode" value="reset" />
        <button type="submit">Reset to machine time</button>
      </form>
    </section>
  );
}

function Directory(props: SandboxData) {
  const s = props.directorySummary;
  return (
    <section class="card" id="directory">
      <h2>Load a directory</h2>
      <p class="muted">A directory file's JSON (<code>{'{"tenants": [...]}'}</code>): tenants, apps, users, chats, rooms. Loading upserts; loading the same file twice changes nothing.</p>
      {s && <div class="msg info" id="directory-summary">Loaded {s.tenants} tenant(s), {s.apps} app(s), {s.users} user(s), {s.chats} chat(s), {s.rooms} room(s).</div>}
      <form method="post" action="/console/sandbox/directory" class="stack">
        <label for="directory-json">Directory JSON</label>
        <textarea id="directory-json" name="directory" rows={10} required>{props.directoryText ?? ''}</textarea>
        <button type="submit">Load directory</button>
      </form>
    </section>
  );
}

/** `/console/sandbox`: faults, user tokens, the server clock and the directory. */
export function SandboxPage(props: SandboxData) {
  return (
    <Layout title="Sandbox" error={props.error} info={props.info}>
      <div class="grid">
        <Faults {...props} />
        <div>
          <Mint {...props} />
          <Clock {...props} />
        </div>
      </div>
      <ArmedFaults {...props} />
      <Directory {...props} />
    </Layout>
  );
}
