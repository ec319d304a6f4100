import type { ConsoleApp, ConsoleTenant, ConsoleUser } from '../../../store/repositories/console.ts';
import { Layout } from './layout.tsx';
import { UsersTable } from './parts.tsx';

export interface OverviewData {
  tenants: readonly ConsoleTenant[];
  apps: readonly ConsoleApp[];
  /** The first users of each tenant, by tenant id. */
  users: ReadonlyMap<string, readonly ConsoleUser[]>;
  userCounts: ReadonlyMap<string, number>;
  serverNow: string;
}

/** Whether the app's callback URL passed the platform's URL check (the newest check delivery). */
function Verification(props: { app: ConsoleApp }) {
  const { app } = props;
  if (!app.event_callback_url) return <span class="muted">no callback URL</span>;
  if (app.verification === 'delivered') return <span class="ok">verified</span>;
  if (app.verification === 'dead') return <span class="bad">verification failed</span>;
  if (app.verification === null) return <span class="muted">not checked</span>;
  return <span>checking ({app.verification})</span>;
}

function secretList(app: ConsoleApp): string {
  const s = app.secretsSet;
  const parts = app.platform === 'feishu'
    ? [`verification token ${s.verificationToken ? 'set' : 'not set'}`, `encrypt key ${s.encryptKey ? 'set' : 'not set'}`]
    : [`callback token ${s.callbackToken ? 'set' : 'not set'}`, `AES key ${s.aesKey ? 'set' : 'not set'}`];
  return parts.join(', ');
}

function AppsTable(props: { apps: readonly ConsoleApp[] }) {
  if (props.apps.length === 0) return <p class="muted">No apps.</p>;
  return (
    <table>
      <thead><tr><th>Platform</th><th>Client id</th><th>Callback URL</th><th>Verified</th><th>Callback secrets</th><th>Bot</th></tr></thead>
      <tbody>
        {props.apps.map((a) => (
          <tr>
            <td>{a.platform === 'dingtalk' ? 'DingTalk' : a.platform === 'feishu' ? 'Feishu' : a.platform}</td>
            <td class="mono"><a href={`/console/deliveries?app=${encodeURIComponent(a.id)}`}>{a.client_id}</a></td>
            <td class="mono">{a.event_callback_url ?? ''}</td>
            <td><Verification app={a} /></td>
            <td class="muted">{secretList(a)}</td>
            <td>{a.platform === 'feishu' ? (a.bot === 1 ? 'enabled' : 'disabled') : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/console`: every tenant with its apps and users. */
export function OverviewPage(props: OverviewData) {
  return (
    <Layout title="Overview">
      <p class="muted">Server time {props.serverNow}. Find an event, calendar or user with the search box (ids in any platform's form, a summary, a name, or a day like 2026-11-23).</p>
      <form method="get" action="/console/search" class="inline card">
        <input type="search" name="q" placeholder="Search events, calendars, users" size={48} aria-label="Search (overview)" />
        <button class="light" type="submit">Search</button>
      </form>
      {props.tenants.length === 0 && <p class="muted">No tenants yet: load a directory on the Sandbox page.</p>}
      {props.tenants.map((t) => {
        const users = props.users.get(t.id) ?? [];
        const count = props.userCounts.get(t.id) ?? 0;
        return (
          <section class="card">
            <h2>Tenant {t.name} <span class="muted mono">({t.id})</span></h2>
            <h3>Apps</h3>
            <AppsTable apps={props.apps.filter((a) => a.tenant_id === t.id)} />
            <h3>Users {count > users.length ? <span class="muted">(first {users.length} of {count}; search for others)</span> : <span class="muted">({count})</span>}</h3>
            <UsersTable users={users} />
          </section>
        );
      })}
    </Layout>
  );
}
