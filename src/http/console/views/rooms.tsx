import type { RoomRow } from '../../../store/repositories/directory.ts';
import { Layout } from './layout.tsx';
import { href } from './parts.tsx';

export interface RoomsData {
  rooms: readonly RoomRow[];
  tenantNames: ReadonlyMap<string, string>;
  limit: number;
}

/** `/console/rooms`: the directory's meeting rooms with links to their week and day views. */
export function RoomsPage(props: RoomsData) {
  return (
    <Layout title="Meeting rooms">
      <p class="muted">Rooms come from the directory (Sandbox page). Each is booked as a <code>resource</code> attendee; its week shows its bookings as free/busy reports them. At most {props.limit}.</p>
      {props.rooms.length === 0 ? <p class="muted">No rooms.</p> : (
        <table>
          <thead><tr><th>Name</th><th>Room id</th><th>Capacity</th><th>Tenant</th><th>Calendar</th><th>Views</th></tr></thead>
          <tbody>
            {props.rooms.map((r) => (
              <tr>
                <td><a href={href.roomWeek(r.id)}>{r.name}</a></td>
                <td class="mono">{r.room_id}</td>
                <td class="num">{r.capacity ?? ''}</td>
                <td>{props.tenantNames.get(r.tenant_id) ?? r.tenant_id}</td>
                <td>{r.calendar_id ? <a class="mono" href={href.calendar(r.calendar_id)}>{r.calendar_id}</a> : ''}</td>
                <td><a href={href.roomWeek(r.id)}>Week</a> · <a href={href.roomDay(r.id)}>Day</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
