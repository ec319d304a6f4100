import { Layout } from './layout.tsx';

/** `/console/login`: the admin token form (the token is kept in an HttpOnly cookie afterwards). */
export function LoginPage(props: { error?: string | undefined }) {
  return (
    <Layout title="Sign in" bare error={props.error}>
      <form method="post" action="/console/login" class="stack card" style="max-width:480px">
        <p class="muted">The console needs the server's admin token (<code>--admin-token</code> / <code>KALENDS_ADMIN_TOKEN</code>, or the one printed at start).</p>
        <label for="token">Admin token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}
