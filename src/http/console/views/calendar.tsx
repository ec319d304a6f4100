import type { ConsoleCalendar, ConsoleEvent } from '../../../store/repositories/console.ts';
import { iso, prettyJson } from '../format.ts';
import { Layout } from './layout.tsx';
import { EventsTable, UserLink } from './parts.tsx';
import { privilegeOf } from '../../dingtalk/acl-privileges.ts';

export interface CalendarData {
  calendar: ConsoleCalendar;
  dingtalkId: string;
  feishuId: string;
  members: ReadonlyArray<{ user_id: string; role: string; name: string }>;
  events: readonly ConsoleEvent[];
  names: ReadonlyMap<string, string>;
  limit: number;
  /** The time-grid view of this calendar: its owner's (a primary calendar) or its room's. */
  views: { week: string; day: string } | null;
}

/** `/console/calendars/:id`: the calendar, its members and its events. */
export function CalendarPage(props: CalendarData) {
  const c = props.calendar;
  return (
    <Layout title={`Calendar ${c.summary || c.id}`}>
      <div class="card">
        <dl class="kv">
          <dt>Summary</dt><dd>{c.summary}</dd>
          <dt>Description</dt><dd>{c.description}</dd>
          <dt>Type</dt><dd>{c.type}</dd>
          <dt>Owner</dt><dd><UserLink id={c.owner_user_id} names={props.names} /></dd>
          <dt>Time zone</dt><dd>{c.time_zone}</dd>
          {props.views && (<><dt>Views</dt><dd><a href={props.views.week}>Week</a> · <a href={props.views.day}>Day</a></dd></>)}
          <dt>Internal id</dt><dd class="mono">{c.id}</dd>
          <dt>DingTalk id</dt><dd class="mono">{props.dingtalkId}</dd>
          <dt>Feishu id</dt><dd class="mono">{props.feishuId}</dd>
          <dt>Created</dt><dd class="mono">{iso(c.created_at)}</dd>
          <dt>Updated</dt><dd class="mono">{iso(c.updated_at)}</dd>
          {c.deleted_at !== null && (<><dt>Deleted</dt><dd class="mono bad">{iso(c.deleted_at)}</dd></>)}
        </dl>
        {c.attributes && c.attributes !== '{}' && (<><h3>Attributes</h3><pre>{prettyJson(c.attributes)}</pre></>)}
      </div>
      <h2 id="acl">Members <span class="muted">(the access list: Feishu calendarAcl, DingTalk createAcls)</span></h2>
      {props.members.length === 0 ? <p class="muted">No members.</p> : (
        <table>
          <thead><tr><th>User</th><th>Role (Feishu)</th><th>Privilege (DingTalk)</th></tr></thead>
          <tbody>{props.members.map((m) => <tr><td><UserLink id={m.user_id} names={props.names} /></td><td>{m.role}</td><td>{privilegeOf(m.role)}</td></tr>)}</tbody>
        </table>
      )}
      <h2>Events <span class="muted">(newest first, at most {props.limit})</span></h2>
      <EventsTable events={props.events} names={props.names} />
    </Layout>
  );
}
