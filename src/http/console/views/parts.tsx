import type { ConsoleCalendar, ConsoleEvent, ConsoleUser } from '../../../store/repositories/console.ts';
import { eventState, eventTime } from '../format.ts';

/** Console paths of the things pages link to (ids are URL-encoded). */
export const href = {
  user: (id: string) => `/console/users/${encodeURIComponent(id)}`,
  userWeek: (id: string) => `/console/users/${encodeURIComponent(id)}/week`,
  userDay: (id: string) => `/console/users/${encodeURIComponent(id)}/day`,
  roomWeek: (id: string) => `/console/rooms/${encodeURIComponent(id)}/week`,
  roomDay: (id: string) => `/console/rooms/${encodeURIComponent(id)}/day`,
  calendar: (id: string) => `/console/calendars/${encodeURIComponent(id)}`,
  event: (id: string) => `/console/events/${encodeURIComponent(id)}`,
  delivery: (id: number) => `/console/deliveries/${id}`,
  apiCall: (id: string) => `/console/api-calls/${encodeURIComponent(id)}`,
};

/** A user's name linking to their page; the raw id when the user is unknown. */
export function UserLink(props: { id: string | null | undefined; names: ReadonlyMap<string, string> }) {
  if (!props.id) return <span class="muted">—</span>;
  return <a href={href.user(props.id)}>{props.names.get(props.id) ?? props.id}</a>;
}

/** Events as a table: summary (linked), time, state, calendar, organizer, attendee count. */
export function EventsTable(props: { events: readonly ConsoleEvent[]; names: ReadonlyMap<string, string>; empty?: string }) {
  if (props.events.length === 0) return <p class="muted">{props.empty ?? 'No events.'}</p>;
  return (
    <table>
      <thead><tr><th>Summary</th><th>Time</th><th>State</th><th>Calendar</th><th>Organizer</th><th>Attendees</th></tr></thead>
      <tbody>
        {props.events.map((e) => (
          <tr>
            <td><a href={href.event(e.id)}>{e.summary || '(no summary)'}</a></td>
            <td class="mono">{eventTime(e)}</td>
            <td>{eventState(e)}</td>
            <td><a class="mono" href={href.calendar(e.calendar_id)}>{e.calendar_id.slice(0, 8)}…</a></td>
            <td><UserLink id={e.organizer_id} names={props.names} /></td>
            <td class="num">{Number(e.attendee_count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Calendars as a table: summary (linked), type, owner, time zone, and the user's role when given. */
export function CalendarsTable(props: { calendars: ReadonlyArray<ConsoleCalendar & { role?: string }>; names: ReadonlyMap<string, string> }) {
  if (props.calendars.length === 0) return <p class="muted">No calendars.</p>;
  const withRole = props.calendars.some((c) => c.role !== undefined);
  return (
    <table>
      <thead><tr><th>Summary</th><th>Type</th><th>Owner</th><th>Time zone</th>{withRole && <th>Role</th>}<th>State</th></tr></thead>
      <tbody>
        {props.calendars.map((c) => (
          <tr>
            <td><a href={href.calendar(c.id)}>{c.summary || '(no summary)'}</a></td>
            <td>{c.type}</td>
            <td><UserLink id={c.owner_user_id} names={props.names} /></td>
            <td>{c.time_zone}</td>
            {withRole && <td>{c.role}</td>}
            <td>{c.deleted_at !== null ? 'deleted' : 'live'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Users as a table with every id they are known by. */
export function UsersTable(props: { users: readonly ConsoleUser[] }) {
  if (props.users.length === 0) return <p class="muted">No users.</p>;
  return (
    <table>
      <thead><tr><th>Name</th><th>unionId</th><th>userId</th><th>openId</th><th>Active</th></tr></thead>
      <tbody>
        {props.users.map((u) => (
          <tr>
            <td><a href={href.user(u.id)}>{u.name}</a>{u.bot_app_id !== null && <span class="muted"> (app bot)</span>}</td>
            <td class="mono">{u.union_id}</td>
            <td class="mono">{u.user_id ?? ''}</td>
            <td class="mono">{u.open_id ?? ''}</td>
            <td>{u.active === 1 ? <span class="ok">active</span> : <span class="bad">left</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
