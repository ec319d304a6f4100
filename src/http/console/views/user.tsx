import type { CaldavAccount } from '../../../core/auth/caldav-accounts.ts';
import type { ConsoleCalendar, ConsoleEvent, ConsoleInboxMessage, ConsoleUser } from '../../../store/repositories/console.ts';
import type { ExchangeBindingRow } from '../../../store/repositories/exchange-bindings.ts';
import { inboxKindLabel, iso } from '../format.ts';
import { Layout } from './layout.tsx';
import { CalendarsTable, EventsTable, href } from './parts.tsx';

export interface UserData {
  user: ConsoleUser;
  tenantName: string;
  calendars: ReadonlyArray<ConsoleCalendar & { role: string }>;
  events: readonly ConsoleEvent[];
  inbox: readonly ConsoleInboxMessage[];
  /** User names, and the client ids of apps, by internal id. */
  names: ReadonlyMap<string, string>;
  appClientIds: ReadonlyMap<string, string>;
  limits: { events: number; inbox: number };
  /** The user's Feishu Exchange bindings (recorded only: no Exchange is contacted). */
  exchangeBindings: readonly ExchangeBindingRow[];
  /** CalDAV passwords minted for the user (generateCaldavAccount / generateCaldavConf), newest first. */
  caldavAccounts: readonly CaldavAccount[];
}

function CaldavAccounts(props: { userId: string; accounts: readonly CaldavAccount[]; apps: ReadonlyMap<string, string> }) {
  if (props.accounts.length === 0) return <p class="muted">No CalDAV passwords minted.</p>;
  return (
    <table>
      <thead><tr><th>Device</th><th>User name</th><th>Minted by app</th><th>Created</th><th>State</th></tr></thead>
      <tbody>
        {props.accounts.map((a) => (
          <tr>
            <td>{a.device}</td>
            <td class="mono">{a.username}</td>
            <td class="mono">{props.apps.get(a.appId) ?? a.appId}</td>
            <td class="mono time">{iso(a.createdAt)}</td>
            <td>{a.revokedAt !== null
              ? <span class="bad">revoked {iso(a.revokedAt)}</span>
              : <form method="post" action={`/console/users/${encodeURIComponent(props.userId)}/caldav-accounts/${encodeURIComponent(a.id)}/revoke`} style="display:inline"><button type="submit">Revoke</button></form>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Inbox(props: { inbox: readonly ConsoleInboxMessage[]; apps: ReadonlyMap<string, string>; eventNames: ReadonlyMap<string, string> }) {
  if (props.inbox.length === 0) return <p class="muted">No notifications yet.</p>;
  return (
    <table>
      <thead><tr><th>Time</th><th>Kind</th><th>Text</th><th>Event</th><th>Sent by app</th></tr></thead>
      <tbody>
        {props.inbox.map((m) => (
          <tr>
            <td class="mono time">{iso(m.created_at)}</td>
            <td>{inboxKindLabel(m.kind)} <span class="muted">({m.kind})</span></td>
            <td>{m.text}</td>
            <td>{m.event_id ? <a href={href.event(m.event_id)}>{props.eventNames.get(m.event_id) ?? 'event'}</a> : ''}</td>
            <td class="mono">{m.app_id ? (props.apps.get(m.app_id) ?? m.app_id) : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/console/users/:id`: the user, their calendars, their events and their notification inbox. */
export function UserPage(props: UserData) {
  const { user } = props;
  const eventNames = new Map(props.events.map((e) => [e.id, e.summary || '(no summary)']));
  return (
    <Layout title={`User ${user.name}`}>
      <div class="card">
        <dl class="kv">
          <dt>Name</dt><dd>{user.name}</dd>
          <dt>Tenant</dt><dd>{props.tenantName}</dd>
          <dt>unionId</dt><dd class="mono">{user.union_id}</dd>
          <dt>userId</dt><dd class="mono">{user.user_id ?? ''}</dd>
          <dt>openId</dt><dd class="mono">{user.open_id ?? ''}</dd>
          <dt>E-mail</dt><dd>{user.email ?? ''}</dd>
          <dt>Active</dt><dd>{user.active === 1 ? <span class="ok">active</span> : <span class="bad">left</span>}</dd>
          {user.bot_app_id !== null && (<><dt>Bot of app</dt><dd class="mono">{props.appClientIds.get(user.bot_app_id) ?? user.bot_app_id}</dd></>)}
          <dt>Internal id</dt><dd class="mono">{user.id}</dd>
          {props.exchangeBindings.length > 0 && (<>
            <dt>Exchange</dt>
            <dd id="exchange-bindings">{props.exchangeBindings.map((b) => (
              <div><span class="mono">{b.exchange_account}</span> <span class="muted">(admin {b.admin_account}, {b.status}, since {iso(b.created_at)})</span></div>
            ))}</dd>
          </>)}
          <dt>Calendar views</dt><dd><a href={href.userWeek(user.id)}>Week</a> · <a href={href.userDay(user.id)}>Day</a></dd>
        </dl>
      </div>
      <h2>Notification inbox <span class="muted">(newest first, at most {props.limits.inbox})</span></h2>
      <Inbox inbox={props.inbox} apps={props.appClientIds} eventNames={eventNames} />
      <h2 id="caldav">CalDAV passwords</h2>
      <CaldavAccounts userId={user.id} accounts={props.caldavAccounts} apps={props.appClientIds} />
      <h2>Calendars</h2>
      <CalendarsTable calendars={props.calendars} names={props.names} />
      <h2>Events <span class="muted">(organizer or attendee, at most {props.limits.events})</span></h2>
      <EventsTable events={props.events} names={props.names} />
    </Layout>
  );
}
