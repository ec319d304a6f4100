import type { SignInPage } from '../../../core/events/sign-in.ts';
import { iso } from '../format.ts';
import { Layout } from './layout.tsx';

export interface SignInProps { page: SignInPage; token: string; done?: string | undefined }

/**
 * The page a DingTalk sign-in (or sign-out) link opens: the event and its participants, each
 * with their time or a button to sign in (out) as them — the tester picks who they are, as a
 * participant opening the link in DingTalk would be signed in as themselves.
 */
export function SignInView(props: SignInProps) {
  const { page, token } = props;
  const verb = page.kind === 'in' ? 'Sign in' : 'Sign out';
  return (
    <Layout title={`${verb}: ${page.event.summary}`} bare info={props.done}>
      <p class="muted">{page.kind === 'in' ? 'Sign-in' : 'Sign-out'} page of the event; times follow the sandbox clock.</p>
      <table id="participants">
        <thead><tr><th>Participant</th><th>{page.kind === 'in' ? 'Signed in' : 'Signed out'}</th><th></th></tr></thead>
        <tbody>
          {page.entries.map((e) => (
            <tr data-user={e.user.union_id}>
              <td>{e.user.name} <span class="muted mono">{e.user.union_id}</span></td>
              <td class="time">{e.at === null ? <span class="muted">not yet</span> : iso(e.at)}</td>
              <td>
                {e.at === null && (
                  <form class="inline" method="post" action={`/console/sign-in/${token}`}>
                    <input type="hidden" name="user" value={e.user.id} />
                    <button type="submit">{`${verb} as ${e.user.name}`}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
