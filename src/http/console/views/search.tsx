import type { SearchResults } from '../search.ts';
import { Layout } from './layout.tsx';
import { CalendarsTable, EventsTable, UsersTable } from './parts.tsx';

/** `/console/search?q=`: events, calendars and users matching the query. */
export function SearchPage(props: { q: string; results: SearchResults; names: ReadonlyMap<string, string> }) {
  const { results } = props;
  const total = results.events.length + results.calendars.length + results.users.length;
  return (
    <Layout title={props.q ? `Search: ${props.q}` : 'Search'} query={props.q}>
      {props.q === '' && <p class="muted">Type an id (core, DingTalk or Feishu form), a summary, a user's name or id, or a day like 2026-11-23.</p>}
      {props.q !== '' && (
        <p class="muted">
          {total === 0 ? 'Nothing found.' : `${total} result${total === 1 ? '' : 's'}.`}
          {results.decodedIds.length > 0 && ` The query decodes to ${results.decodedIds.join(', ')}.`}
          {results.day && ` Events whose span overlaps ${results.day} (UTC) are listed.`}
        </p>
      )}
      {results.events.length > 0 && (<><h2>Events</h2><EventsTable events={results.events} names={props.names} /></>)}
      {results.calendars.length > 0 && (<><h2>Calendars</h2><CalendarsTable calendars={results.calendars} names={props.names} /></>)}
      {results.users.length > 0 && (<><h2>Users</h2><UsersTable users={results.users} /></>)}
    </Layout>
  );
}
