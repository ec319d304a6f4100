import type { ConsoleAttendee, ConsoleEvent } from '../../../store/repositories/console.ts';
import type { MeetingChatRow, MeetingMinuteRow } from '../../../store/repositories/meeting-chats.ts';
import { eventState, eventTime, iso, partstatWord, prettyJson } from '../format.ts';
import type { HistoryEntry } from '../history.ts';
import { Layout } from './layout.tsx';
import { href, UserLink } from './parts.tsx';

export interface EventData {
  event: ConsoleEvent;
  dingtalkId: string;
  feishuId: string;
  calendarSummary: string | undefined;
  attendees: readonly ConsoleAttendee[];
  /** The `seq` to continue after, when there are more attendees. */
  nextAfter: number | null;
  /** Whether this page starts after the first attendee (a later page). */
  laterPage: boolean;
  history: readonly HistoryEntry[];
  /** Names of users, chats and rooms, and client ids of apps, by internal id. */
  names: ReadonlyMap<string, string>;
  appClientIds: ReadonlyMap<string, string>;
  /** DingTalk's legacy numeric id (convertLegacyEventId). */
  legacyId: number | null;
  /** DingTalk sign-ins and sign-outs: user id → time (ms). */
  signIns: ReadonlyMap<string, number>;
  signOuts: ReadonlyMap<string, number>;
  /** The Feishu meeting chat and minutes of the event, if made. */
  meetingChat: MeetingChatRow | undefined;
  minutes: MeetingMinuteRow | undefined;
}

/** The event's Feishu meeting chat (its members are the attendees below) and minutes. */
function Meeting(props: EventData) {
  const { meetingChat, minutes } = props;
  if (!meetingChat && !minutes) return <p class="muted">No meeting chat and no minutes.</p>;
  return (
    <dl class="kv" id="meeting-chat">
      {meetingChat && (<>
        <dt>Meeting chat</dt>
        <dd><span class="mono">{meetingChat.chat_id}</span> owned by <UserLink id={meetingChat.owner_user_id} names={props.names} />, since <span class="mono">{iso(meetingChat.created_at)}</span></dd>
      </>)}
      {minutes && (<><dt>Minutes</dt><dd><span class="mono">{minutes.doc_token}</span> since <span class="mono">{iso(minutes.created_at)}</span></dd></>)}
    </dl>
  );
}

function Who(props: { a: ConsoleAttendee; names: ReadonlyMap<string, string> }) {
  const { a, names } = props;
  if (a.kind === 'user') return <UserLink id={a.ref} names={names} />;
  if (a.kind === 'third_party') return <span class="mono">{a.ref}</span>;
  return <span>{names.get(a.ref) ?? a.ref}</span>;
}

function Attendees(props: EventData) {
  if (props.attendees.length === 0) return <p class="muted">{props.laterPage ? 'No more attendees.' : 'No attendees.'}</p>;
  return (
    <table id="attendees">
      <thead><tr><th>#</th><th>Kind</th><th>Who</th><th>Response</th><th>Optional</th><th>Added</th><th>Answered</th><th>Room booking</th></tr></thead>
      <tbody>
        {props.attendees.map((a) => (
          <tr>
            <td class="num">{Number(a.seq)}</td>
            <td>{a.kind}</td>
            <td><Who a={a} names={props.names} /></td>
            <td>{partstatWord(a.partstat)}</td>
            <td>{a.is_optional === 1 ? 'optional' : ''}</td>
            <td class="mono time">{iso(a.created_at)}</td>
            <td class="mono">{Number(a.updated_at) !== Number(a.created_at) ? iso(a.updated_at) : ''}</td>
            <td>{a.kind === 'resource' && <RoomAnswer eventId={props.event.id} roomRef={a.ref} partstat={a.partstat} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Approve or refuse a meeting room's booking (rooms with approval wait for this or meetingRoomRespond). */
function RoomAnswer(props: { eventId: string; roomRef: string; partstat: string }) {
  const action = `/console/events/${encodeURIComponent(props.eventId)}/rooms/${encodeURIComponent(props.roomRef)}/answer`;
  return (
    <span class="room-answer">
      {props.partstat !== 'ACCEPTED' && (
        <form method="post" action={action} style="display:inline"><input type="hidden" name="answer" value="ACCEPTED" /><button type="submit">Approve</button></form>
      )}
      {props.partstat !== 'DECLINED' && (
        <form method="post" action={action} style="display:inline"><input type="hidden" name="answer" value="DECLINED" /><button type="submit">Refuse</button></form>
      )}
    </span>
  );
}

function History(props: { history: readonly HistoryEntry[]; names: ReadonlyMap<string, string>; apps: ReadonlyMap<string, string> }) {
  if (props.history.length === 0) return <p class="muted">No recorded changes.</p>;
  return (
    <table id="history">
      <thead><tr><th>Time</th><th>Change</th><th>By</th><th>App</th><th>Details</th></tr></thead>
      <tbody>
        {props.history.map((h) => (
          <tr>
            <td class="mono time">{iso(h.at)}</td>
            <td class="mono">{h.topic}</td>
            <td><UserLink id={h.actorId} names={props.names} /></td>
            <td class="mono">{h.appId ? `${props.apps.get(h.appId) ?? h.appId}${h.platform ? ` (${h.platform})` : ''}` : ''}</td>
            <td>{h.details}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Who signed in to (and out of) the event, through DingTalk's signIn/checkIn/signOut or a sign-in link. */
function SignIns(props: EventData) {
  const users = [...new Set([...props.signIns.keys(), ...props.signOuts.keys()])];
  if (users.length === 0) return <p class="muted">Nobody signed in.</p>;
  return (
    <table id="sign-ins">
      <thead><tr><th>Who</th><th>Signed in</th><th>Signed out</th></tr></thead>
      <tbody>
        {users.map((u) => (
          <tr>
            <td><UserLink id={u} names={props.names} /></td>
            <td class="mono time">{iso(props.signIns.get(u) ?? null)}</td>
            <td class="mono time">{iso(props.signOuts.get(u) ?? null)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/console/events/:id`: the event, its attendees with their answers, and who changed what. */
export function EventPage(props: EventData) {
  const e = props.event;
  return (
    <Layout title={`Event ${e.summary || e.id}`}>
      <div class="card">
        <dl class="kv">
          <dt>Summary</dt><dd>{e.summary}</dd>
          <dt>Description</dt><dd>{e.description}</dd>
          <dt>Time</dt><dd class="mono">{eventTime(e)}{e.is_all_day === 1 ? ' (all day)' : ''}</dd>
          <dt>State</dt><dd>{eventState(e)}</dd>
          {e.series_master_id !== null && (<>
            <dt>Occurrence of</dt><dd><a class="mono" href={href.event(e.series_master_id)}>{e.series_master_id}</a> <span class="muted">(its series)</span></dd>
            <dt>Original start</dt><dd class="mono">{iso(e.original_start)}</dd>
          </>)}
          <dt>Organizer</dt><dd><UserLink id={e.organizer_id} names={props.names} /></dd>
          <dt>Calendar</dt><dd><a href={href.calendar(e.calendar_id)}>{props.calendarSummary ?? e.calendar_id}</a></dd>
          <dt>Attendees</dt><dd>{Number(e.attendee_count)}</dd>
          <dt>Internal id</dt><dd class="mono">{e.id}</dd>
          <dt>DingTalk id</dt><dd class="mono">{props.dingtalkId}</dd>
          <dt>Feishu id</dt><dd class="mono">{props.feishuId}</dd>
          {props.legacyId !== null && (<><dt>Legacy id</dt><dd class="mono" id="legacy-id">{props.legacyId}</dd></>)}
          <dt>Created</dt><dd class="mono">{iso(e.created_at)}</dd>
          <dt>Updated</dt><dd class="mono">{iso(e.updated_at)}</dd>
          {e.deleted_at !== null && (<><dt>Deleted</dt><dd class="mono bad">{iso(e.deleted_at)}</dd></>)}
        </dl>
        {e.details && e.details !== '{}' && (<><h3>Details</h3><pre>{prettyJson(e.details)}</pre></>)}
      </div>
      <h2>Meeting chat</h2>
      <Meeting {...props} />
      <h2>Attendees</h2>
      <Attendees {...props} />
      <p>
        {props.laterPage && <a href={href.event(e.id)}>first page</a>}
        {props.laterPage && props.nextAfter !== null && ' · '}
        {props.nextAfter !== null && <a rel="next" href={`${href.event(e.id)}?after=${props.nextAfter}`}>next</a>}
      </p>
      <h2>Sign-ins</h2>
      <SignIns {...props} />
      <h2>History <span class="muted">(who changed what, oldest first)</span></h2>
      <History history={props.history} names={props.names} apps={props.appClientIds} />
    </Layout>
  );
}
