import type { Actor } from '../actor.ts';
import type { CalendarRef } from '../acl/access.ts';
import { fail } from '../errors.ts';
import { deleteEvent } from '../events/change-event.ts';
import { respondToEvent } from '../attendees/respond.ts';
import type { Db } from '../../store/store.ts';
import { exceptionsOf } from '../../store/repositories/series.ts';
import { nextChangeSeq } from '../../store/repositories/change-log.ts';
import { lockObjectKey, saveObjectRow } from '../../store/repositories/caldav-objects.ts';
import type { WritePreconditions } from './calendar-object.ts';
import { etagOf, findEntry, openCollection } from './collection.ts';

/**
 * Deletes a calendar object (RFC 4791 §5.3; DELETE of a resource): the organizer (or a writer of
 * the calendar) deletes the event with its series (deleteEvent: attendees are told, as through
 * the APIs); an attendee deleting an invitation from their calendar declines it (RFC 6638
 * §3.2.2.2) and it leaves that collection (a tombstone row). The resource then reads 404 and a
 * sync-collection reports it removed.
 * @throws KalendsError EVENT_NOT_FOUND, ETAG_MISMATCH (If-Match), EVENT_PERMISSION_DENIED, CALENDAR_*.
 */
export async function deleteCalendarObject(tx: Db, actor: Actor, ref: CalendarRef, name: string, pre: WritePreconditions, now: number): Promise<void> {
  const cal = await openCollection(tx, actor, ref);
  await lockObjectKey(tx, cal.calendar.id, `name:${name}`);
  const entry = await findEntry(tx, actor, cal, name);
  if (!entry) fail('EVENT_NOT_FOUND', `no calendar object ${name} in this calendar`);
  if (pre.ifMatch && pre.ifMatch !== '*') {
    const seqs = entry.master.recurrence === null ? [] : (await exceptionsOf(tx, entry.master.id)).map((e) => e.changeSeq);
    if (etagOf(entry, seqs).etag !== pre.ifMatch) fail('ETAG_MISMATCH', `${name} has changed (If-Match ${pre.ifMatch})`);
  }
  const { master } = entry;
  const key = { id: master.id, originalStart: null };
  if (master.calendarId === cal.calendar.id || master.organizerId === actor.userId) {
    await deleteEvent(tx, actor, { id: master.calendarId }, key, [actor.platform === 'feishu' ? 'bot' : 'push'], now);
  } else {
    await respondToEvent(tx, actor, ref, key, 'DECLINED', now);
  }
  await saveObjectRow(tx, {
    calendar_id: cal.calendar.id, name, tenant_id: actor.tenantId, event_id: master.id, uid: entry.row?.uid ?? master.id,
    kept: entry.row?.kept ?? JSON.stringify({ calendar: [], components: {} }), version: await nextChangeSeq(tx, actor.tenantId),
    created_at: entry.row?.created_at ?? now, updated_at: now, deleted_at: now,
  });
}
