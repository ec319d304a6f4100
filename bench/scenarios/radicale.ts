import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Work, type Bench } from '../lib/bench.ts';
import { unionId } from '../lib/directory.ts';
import { startServer, type ServerProcess } from '../lib/server-process.ts';

/** Radicale's own default `max_connections`: more clients only queue. */
export const RADICALE_CLIENTS = 8;

/** A TCP port free on the loopback now, for a peer server to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Debian's Radicale on a temp folder, loopback only, no auth, no config files of the machine. */
export async function startRadicale(dir: string): Promise<ServerProcess> {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  return startServer({
    name: 'radicale', command: 'radicale',
    args: ['--config', '', '--server-hosts', `127.0.0.1:${port}`, '--storage-filesystem-folder', dir,
      '--auth-type', 'none', '--rights-type', 'authenticated', '--logging-level', 'warning'],
    ready: { poll: `http://127.0.0.1:${port}` },
  });
}

/** An event's iCalendar with attendees 1…count, organized by user 0 (as Kalends' events are). */
export function eventIcs(uid: string, count: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Kalends//bench//EN', 'BEGIN:VEVENT', `UID:${uid}`,
    'DTSTAMP:20300101T000000Z', 'DTSTART:20300101T020000Z', 'DTEND:20300101T030000Z', 'SUMMARY:b',
    `ORGANIZER:mailto:${unionId(0)}@bench.example`];
  for (let u = 1; u <= count; u++) lines.push(`ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:${unionId(u)}@bench.example`);
  lines.push('END:VEVENT', 'END:VCALENDAR', '');
  return lines.join('\r\n');
}

async function dav(origin: string, method: string, p: string, body?: string): Promise<void> {
  const res = await fetch(origin + p, { method, body, headers: body ? { 'content-type': 'text/calendar; charset=utf-8' } : {} });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status}`);
}

/**
 * The peer: CalDAV's way of adding one attendee is a PUT of the whole event with one ATTENDEE
 * more (`radicale-add-1`, over 50 events so no two clients write one event at once), and of
 * listing is a GET of the event (`radicale-get-5000`, an event of 5,000 attendees).
 */
export async function runRadicale(bench: Bench, tmp: string): Promise<void> {
  if (!bench.wantsAny('radicale')) return;
  const server = await startRadicale(path.join(tmp, 'radicale')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    bench.log('  radicale rows skipped: radicale is not installed (apt-get install -y radicale)');
    return null;
  });
  if (!server) return;
  try {
    const cal = '/bench/cal/';
    await dav(server.origin, 'MKCOL', '/bench/');
    await dav(server.origin, 'MKCALENDAR', cal);
    const events = 50;
    const counts = new Array<number>(events).fill(1);
    for (let e = 0; e < events; e++) await dav(server.origin, 'PUT', `${cal}e${e}.ics`, eventIcs(`e${e}`, 1));
    if (bench.wants('radicale-add-1')) {
      await bench.measure('radicale-add-1', server, new Work(Number.MAX_SAFE_INTEGER, (i) => {
        const e = i % events;
        return { method: 'PUT', path: `${cal}e${e}.ics`, body: eventIcs(`e${e}`, ++counts[e]!), headers: { 'content-type': 'text/calendar; charset=utf-8' } };
      }), { connections: RADICALE_CLIENTS, driver: 'loop' });
    }
    if (bench.wants('radicale-get-5000')) {
      await dav(server.origin, 'PUT', `${cal}big.ics`, eventIcs('big', 5_000));
      await bench.measure('radicale-get-5000', server, Work.cycling([{ method: 'GET', path: `${cal}big.ics` }]),
        { connections: RADICALE_CLIENTS, driver: 'loop' });
    }
  } finally {
    await server.stop();
  }
}
