import ICAL from 'ical.js';
import type { Actor } from '../actor.ts';
import { KalendsError } from '../errors.ts';
import { roomFreeBusy, userFreeBusy } from '../schedule/free-busy.ts';
import type { Db } from '../../store/store.ts';
import { findRoomsByRoomIds, findUserById, findUsersByUnionIds } from '../../store/repositories/directory.ts';
import { findUsersByEmails } from '../../store/repositories/caldav-objects.ts';
import { readAddress, userAddress } from './addresses.ts';
import { freeBusyText } from './free-busy-ics.ts';

/** One recipient's answer to a free/busy request (RFC 6638 §5.2 schedule-response): its iTIP REQUEST-STATUS and, when known, its VFREEBUSY reply. */
export interface ScheduleAnswer {
  recipient: string;
  /** `2.0;Success` or `3.7;Invalid calendar user` (RFC 5546 §3.6). */
  status: string;
  ics?: string;
}

/** Most ATTENDEEs one request may name (the platforms' free/busy batch limit is lower). */
const MAX_RECIPIENTS = 100;

/**
 * Answers a client's iTIP free/busy request POSTed to the schedule outbox (RFC 6638 §5; RFC 5546
 * §3.3.2 METHOD:REQUEST with one VFREEBUSY: DTSTART, DTEND, ORGANIZER, ATTENDEEs): for each
 * ATTENDEE, the busy time of that directory user (`mailto:` their e-mail, or
 * `urn:x-kalends:user:<unionId>`) or meeting room (`urn:x-kalends:room:<roomId>`) as a METHOD:REPLY
 * VFREEBUSY (userFreeBusy / roomFreeBusy, as the APIs compute it), or `3.7;Invalid calendar user`.
 * @throws KalendsError CALENDAR_DATA_INVALID (detail.precondition `valid-calendar-data`) for a body
 *   that is not such a request, or one naming more than 100 attendees; EVENT_PERMISSION_DENIED
 *   when the ORGANIZER is not the signed-in user (RFC 6638 §5.1: CALDAV:organizer-allowed).
 */
export async function scheduleFreeBusy(db: Db, actor: Actor, text: string, now: number): Promise<ScheduleAnswer[]> {
  const request = readRequest(text);
  const me = await findUserById(db, actor.userId);
  const mine = new Set([userAddress(me ? { email: me.email, union_id: me.union_id } : undefined), `urn:x-kalends:user:${me?.union_id ?? ''}`]);
  if (!mine.has(request.organizer)) throw new KalendsError('EVENT_PERMISSION_DENIED', `the ORGANIZER ${request.organizer} is not the signed-in user`);
  const refs = request.attendees.map((a) => ({ raw: a, ref: readAddress(a) }));
  const emails = new Map((await findUsersByEmails(db, actor.tenantId, refs.flatMap((r) => (r.ref.kind === 'email' ? [r.ref.email] : [])))).map((u) => [u.email, u.id]));
  const unionIds = new Map((await findUsersByUnionIds(db, actor.tenantId, refs.flatMap((r) => (r.ref.kind === 'user' ? [r.ref.unionId] : []))))
    .filter((u) => u.active === 1).map((u) => [u.union_id, u.id]));
  const rooms = new Map((await findRoomsByRoomIds(db, actor.tenantId, refs.flatMap((r) => (r.ref.kind === 'room' ? [r.ref.roomId] : [])))).map((r) => [r.room_id, r.id]));
  const answers: ScheduleAnswer[] = [];
  for (const { raw, ref } of refs) {
    const userId = ref.kind === 'email' ? emails.get(ref.email) : ref.kind === 'user' ? unionIds.get(ref.unionId) : undefined;
    const roomId = ref.kind === 'room' ? rooms.get(ref.roomId) : undefined;
    if (!userId && !roomId) {
      answers.push({ recipient: raw, status: '3.7;Invalid calendar user' });
      continue;
    }
    const items = userId
      ? await userFreeBusy(db, actor.tenantId, userId, request.from, request.to, { includeFree: false })
      : await roomFreeBusy(db, actor.tenantId, roomId!, request.from, request.to);
    const header = { method: 'REPLY' as const, organizer: request.organizer, attendee: raw, ...(request.uid ? { uid: request.uid } : {}) };
    answers.push({ recipient: raw, status: '2.0;Success', ics: freeBusyText(items, request.from, request.to, now, header) });
  }
  return answers;
}

function invalid(message: string): never {
  throw new KalendsError('CALENDAR_DATA_INVALID', message, { precondition: 'valid-calendar-data' });
}

function readRequest(text: string): { from: number; to: number; organizer: string; attendees: string[]; uid: string | null } {
  let vcalendar: InstanceType<typeof ICAL.Component>;
  try {
    vcalendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (e) {
    invalid(`the body is not iCalendar: ${(e as Error).message}`);
  }
  if (String(vcalendar.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REQUEST') invalid('a free/busy request has METHOD:REQUEST');
  const vfreebusy = vcalendar.getFirstSubcomponent('vfreebusy');
  if (!vfreebusy) invalid('a free/busy request has one VFREEBUSY');
  const from = vfreebusy.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time> | null;
  const to = vfreebusy.getFirstPropertyValue('dtend') as InstanceType<typeof ICAL.Time> | null;
  if (!from || !to || to.compare(from) <= 0) invalid('a free/busy request has DTSTART before DTEND');
  const organizer = address(vfreebusy.getFirstPropertyValue('organizer'));
  if (!organizer) invalid('a free/busy request names its ORGANIZER');
  const attendees = vfreebusy.getAllProperties('attendee').map((p) => address(p.getFirstValue())).filter((a): a is string => a !== null);
  if (attendees.length === 0 || attendees.length > MAX_RECIPIENTS) invalid(`a free/busy request names 1 to ${MAX_RECIPIENTS} ATTENDEEs`);
  const uid = vfreebusy.getFirstPropertyValue('uid');
  return { from: from.toUnixTime() * 1000, to: to.toUnixTime() * 1000, organizer, attendees, uid: uid ? String(uid) : null };
}

function address(value: unknown): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const v = value.trim();
  return /^mailto:/i.test(v) ? `mailto:${v.slice(7).toLowerCase()}` : v;
}
