import { range } from '../lib/api.ts';
import { Work, type Bench } from '../lib/bench.ts';
import { feishuBatch } from '../lib/directory.ts';
import type { Feishu } from '../lib/kalends.ts';
import type { ServerProcess } from '../lib/server-process.ts';

/** `feishu-add-1`: dingtalk-add-1 through the Feishu v4 dialect, on the bot's primary calendar. */
export async function feishuAdd1(bench: Bench, server: ServerProcess, fs: Feishu): Promise<void> {
  const events = await fs.createEvents(100);
  const work = new Work(events.length * 4_999, (i) => ({
    method: 'POST', path: `${fs.eventsPath()}/${events[i % events.length]!}/attendees`,
    body: feishuBatch(Math.floor(i / events.length), 1),
  }));
  await bench.measure('feishu-add-1', server, work, { warmup: true, headers: fs.headers });
}

/** `feishu-list-100`: every page of 100 (page_size=100, the maximum) of an event of 5,000 attendees. */
export async function feishuList100(bench: Bench, server: ServerProcess, fs: Feishu): Promise<void> {
  const [eventId] = await fs.createEvents(1);
  for (const b of range(10)) await fs.add(eventId!, feishuBatch(b * 500, 500));
  const tokens: Array<string | undefined> = [undefined];
  for (;;) {
    const page = await fs.listPage(eventId!, tokens[tokens.length - 1]);
    if (!page.data.has_more) break;
    tokens.push(page.data.page_token);
  }
  if (tokens.length !== 50) throw new Error(`a Feishu event of 5,000 attendees listed in ${tokens.length} pages of 100, not 50`);
  await bench.measure('feishu-list-100', server, Work.cycling(tokens.map((token) =>
    ({ method: 'GET', path: `${fs.eventsPath()}/${eventId!}/attendees?page_size=100${token ? `&page_token=${encodeURIComponent(token)}` : ''}` }))),
  { warmup: true, headers: fs.headers });
}
