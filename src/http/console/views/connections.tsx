import { Layout } from './layout.tsx';

/** One open long connection as the console lists it. */
export interface ConnectionItem {
  id: string;
  /** The app's client id (DingTalk appKey, Feishu app_id) and platform. */
  clientId: string;
  platform: string;
  tenant: string;
  /** The process that holds the socket. */
  holder: string;
  /** Machine time (ms) it opened, and its holder's last refresh. */
  openedAt: number;
  seenAt: number;
  /** A close was asked for and the holder has not acted on it yet. */
  closing: boolean;
}

/** `/console/connections`: the open long connections, each with a Close button. */
export function ConnectionsPage(props: { connections: readonly ConnectionItem[] }) {
  return (
    <Layout title="Long connections">
      <p class="muted">
        Apps whose <code>eventDelivery</code> is <code>stream</code> receive calendar changes over these (DingTalk Stream Mode,
        Feishu WebSocket). Closing one sends DingTalk's SYSTEM <code>disconnect</code> first; both SDKs reconnect by themselves.
        Pushes are listed under Deliveries.
      </p>
      {props.connections.length === 0 ? <p class="muted">No open connections.</p> : (
        <table>
          <thead><tr><th>App</th><th>Platform</th><th>Tenant</th><th>Connection</th><th>Process</th><th>Opened</th><th>Last seen</th><th></th></tr></thead>
          <tbody>
            {props.connections.map((c) => (
              <tr>
                <td class="mono">{c.clientId}</td>
                <td>{c.platform}</td>
                <td>{c.tenant}</td>
                <td class="mono">{c.id}</td>
                <td class="mono">{c.holder}</td>
                <td class="mono">{new Date(c.openedAt).toISOString()}</td>
                <td class="mono">{new Date(c.seenAt).toISOString()}</td>
                <td>{c.closing ? <span class="muted">closing…</span> : (
                  <form method="post" action={`/console/connections/${encodeURIComponent(c.id)}/close`}>
                    <button type="submit">Close</button>
                  </form>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
