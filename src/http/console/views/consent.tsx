import { Layout } from './layout.tsx';

/** One person the consent page offers. */
export interface ConsentUser {
  name: string;
  /** What the button sends as `login_hint` (unionId on DingTalk, open_id on Feishu). */
  hint: string;
  /** A second line: the user's ids and e-mail. */
  detail: string;
}

export interface ConsentProps {
  /** `DingTalk` or `Feishu`: whose login page this stands in for. */
  platform: string;
  /** The app's client id (DingTalk appKey/clientId, Feishu app_id). */
  clientId: string;
  /** Where the buttons go (this same page, with `login_hint` added). */
  action: string;
  /** The request's own query, carried through as hidden fields. */
  params: ReadonlyArray<readonly [string, string]>;
  users: readonly ConsentUser[];
  /** People left off the page (the page lists the first ones only). */
  more: number;
}

/**
 * The sandbox's sign-in page, where DingTalk's (`login.dingtalk.com/oauth2/auth`) or Feishu's
 * (`authen/v1/authorize`, `authen/v1/index`) login page would be: the tenant's people, each a
 * "Sign in as …" button that comes back here with `login_hint`, which redirects to the app with
 * a one-time code.
 */
export function ConsentPage(props: ConsentProps) {
  return (
    <Layout title={`Sign in to ${props.clientId}`} bare>
      <p class="muted">
        Kalends stands in for the {props.platform} login page. Pick the person to sign in as: the app
        receives a one-time authorization code for them.
      </p>
      <form method="get" action={props.action} class="card" id="consent">
        {props.params.map(([name, value]) => <input type="hidden" name={name} value={value} />)}
        <table>
          <tbody>
            {props.users.map((u) => (
              <tr>
                <td><strong>{u.name}</strong><br /><span class="muted mono">{u.detail}</span></td>
                <td><button type="submit" name="login_hint" value={u.hint} style="margin-top:0">{`Sign in as ${u.name}`}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.users.length === 0 && <p class="bad">No one in this tenant can sign in.</p>}
        {props.more > 0 && <p class="muted">{`${props.more} more not listed: add login_hint=<id> to this page's URL to sign in as one of them.`}</p>}
      </form>
    </Layout>
  );
}
