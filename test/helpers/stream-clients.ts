// The platforms' own long-connection clients pointed at a Kalends server: DingTalk's DWClient
// (dingtalk-stream 2.1.5) and Feishu's lark.WSClient + lark.EventDispatcher (node-sdk 1.74).
// DWClient hard-codes its gateway URL; it is pointed at Kalends the smallest documented way
// (reference long-connections.md §1.2): an interceptor on the default axios instance, the same
// module the SDK loaded, that rewrites exactly that URL.
import axios from 'axios';
import { DWClient, EventAck, type DWClientDownStream } from 'dingtalk-stream';
import * as lark from '@larksuiteoapi/node-sdk';

const GATEWAY_URL = 'https://api.dingtalk.com/v1.0/gateway/connections/open';
let gateway = '';
axios.interceptors.request.use((c) => {
  if (c.url === GATEWAY_URL && gateway) c.url = `${gateway}/v1.0/gateway/connections/open`;
  return c;
});

export interface DingTalkStreamClient {
  client: DWClient;
  /** Every EVENT frame the handler was given, in order of arrival. */
  events: DWClientDownStream[];
  /** The business fields of each event (`JSON.parse(frame.data)`), in order. */
  changes(): Array<Record<string, any>>;
  close(): void;
}

/**
 * A DWClient connected to `baseUrl` whose event listener records each push and answers what
 * `ack` says (SUCCESS by default).
 */
export async function connectDingTalk(
  baseUrl: string, app: { appKey: string; appSecret: string },
  ack: (frame: DWClientDownStream) => { status: EventAck; message?: string } = () => ({ status: EventAck.SUCCESS }),
  opts: { wait?: boolean } = {},
): Promise<DingTalkStreamClient> {
  gateway = baseUrl;
  const client = new DWClient({ clientId: app.appKey, clientSecret: app.appSecret, debug: false });
  const events: DWClientDownStream[] = [];
  client.registerAllEventListener((frame) => {
    events.push(frame);
    return ack(frame);
  });
  await client.connect();
  if (opts.wait !== false) {
    const deadline = Date.now() + 10_000;
    while (!client.connected) {
      if (Date.now() > deadline) throw new Error(`DWClient ${app.appKey} did not connect`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    client, events,
    changes: () => events.map((e) => JSON.parse(e.data) as Record<string, any>),
    close: () => client.disconnect(),
  };
}

export { EventAck };

export interface FeishuStreamClient {
  client: lark.WSClient;
  /** What the handler of `calendar.calendar.event.changed_v4` was given (header and event flattened), in order. */
  events: Array<Record<string, any>>;
  /** Errors the client reported through onError. */
  errors: Error[];
  ready: Promise<void>;
  close(): void;
}

/**
 * A lark.WSClient on `baseUrl` (the `domain` option) with an EventDispatcher whose
 * `calendar.calendar.event.changed_v4` handler records each push and then runs `handle`
 * (throwing there answers 500).
 */
export function connectFeishu(
  baseUrl: string, app: { appId: string; appSecret: string },
  handle: (data: Record<string, any>) => void | Promise<void> = () => {},
): FeishuStreamClient {
  const events: Array<Record<string, any>> = [];
  const errors: Error[] = [];
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const client = new lark.WSClient({
    appId: app.appId, appSecret: app.appSecret, domain: baseUrl, loggerLevel: lark.LoggerLevel.error,
    logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} },
    onReady: () => resolveReady(), onReconnected: () => resolveReady(), onError: (e: Error) => errors.push(e),
  } as any);
  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.error } as any).register({
    'calendar.calendar.event.changed_v4': async (data: any) => {
      events.push(data);
      await handle(data);
    },
  } as any);
  void client.start({ eventDispatcher: dispatcher });
  return { client, events, errors, ready, close: () => client.close({ force: true }) };
}
