// The console's time-grid layout (src/http/console/time-grid.ts), a pure function: where each item
// of a week or a day goes. What a browser shows of it is test/console-calendar-view.test.ts; here
// the cases the seeded data there does not reach: a DST day, an event over midnight, lanes of
// overlapping events, a multi-day all-day event, an event of no length, a zone west of UTC.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CalendarEvent, EventTime } from '../src/core/events/event.ts';
import type { ViewItem } from '../src/core/schedule/calendar-view.ts';
import { spanOf } from '../src/core/recurrence/occurrences.ts';
import { addDays, gridDays, layoutGrid, localDate, localTime, mondayOf } from '../src/http/console/time-grid.ts';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

function item(summary: string, start: EventTime, end: EventTime): ViewItem {
  const event: CalendarEvent = {
    id: summary, tenantId: 't', calendarId: 'c', organizerId: 'u', summary, description: '', isAllDay: 'date' in start,
    start, end, recurrence: null, details: {}, status: 'confirmed', range: spanOf(start, end), attendeeCount: 0, changeSeq: 1,
    seriesMasterId: null, originalStart: null, createdAt: 0, updatedAt: 0, deletedAt: null,
  };
  return { event, kind: 'single', ...spanOf(start, end), busy: 'BUSY', partstat: 'ACCEPTED' };
}

const at = (iso: string, timeZone = SH): EventTime => ({ instant: Date.parse(iso), timeZone });
const timed = (summary: string, from: string, to: string, timeZone = SH) => item(summary, at(from, timeZone), at(to, timeZone));

describe('time grid', () => {
  it('weeks run Monday to Sunday; dates step across months and years', () => {
    assert.equal(mondayOf('2032-01-12'), '2032-01-12');
    assert.equal(mondayOf('2032-01-14'), '2032-01-12');
    assert.equal(mondayOf('2032-01-18'), '2032-01-12');
    assert.equal(mondayOf('2032-01-01'), '2031-12-29');
    assert.equal(addDays('2032-02-28', 2), '2032-03-01');
    assert.equal(addDays('2032-01-03', -7), '2031-12-27');
  });

  it("a day's bounds are its local midnights: 24 h in Shanghai, 23 h on New York's spring-forward day", () => {
    const [sh] = gridDays('2032-01-12', 1, SH);
    assert.deepEqual([sh!.start, sh!.end], [Date.parse('2032-01-11T16:00:00Z'), Date.parse('2032-01-12T16:00:00Z')]);
    const [ny] = gridDays('2032-03-14', 1, NY);
    assert.deepEqual([ny!.start, ny!.end], [Date.parse('2032-03-14T05:00:00Z'), Date.parse('2032-03-15T04:00:00Z')]);
    assert.equal(localDate(Date.parse('2032-01-14T17:00:00Z'), SH), '2032-01-15');
    assert.equal(localTime(Date.parse('2032-03-14T13:00:00Z'), NY), '09:00');
  });

  it('places timed items at their wall-clock times, also after a DST change', () => {
    const days = gridDays('2032-03-14', 1, NY);
    const grid = layoutGrid(days, [timed('After the change', '2032-03-14T09:00:00-04:00', '2032-03-14T10:30:00-04:00', NY)], NY);
    const [block] = grid.blocks[0]!;
    assert.deepEqual([block!.top, block!.height, block!.lane, block!.lanes], [540, 90, 0, 1]);
  });

  it('splits an item over midnight into a piece on each day, marked as going on', () => {
    const days = gridDays('2032-01-12', 7, SH);
    const grid = layoutGrid(days, [timed('Night shift', '2032-01-13T22:00:00+08:00', '2032-01-14T02:00:00+08:00')], SH);
    assert.deepEqual(grid.blocks.map((b) => b.length), [0, 1, 1, 0, 0, 0, 0]);
    const [tue, wed] = [grid.blocks[1]![0]!, grid.blocks[2]![0]!];
    assert.deepEqual([tue.top, tue.height, tue.fromBefore, tue.toAfter], [1320, 120, false, true]);
    assert.deepEqual([wed.top, wed.height, wed.fromBefore, wed.toAfter], [0, 120, true, false]);
  });

  it('sets overlapping items side by side, each group with its own number of lanes', () => {
    const days = gridDays('2032-01-12', 1, SH);
    const grid = layoutGrid(days, [
      timed('A', '2032-01-12T09:00:00+08:00', '2032-01-12T11:00:00+08:00'),
      timed('B', '2032-01-12T10:00:00+08:00', '2032-01-12T12:00:00+08:00'),
      timed('C', '2032-01-12T11:00:00+08:00', '2032-01-12T12:30:00+08:00'),
      timed('D', '2032-01-12T13:00:00+08:00', '2032-01-12T14:00:00+08:00'),
    ], SH);
    const lanes = Object.fromEntries(grid.blocks[0]!.map((b) => [b.item.event.summary, [b.lane, b.lanes]]));
    assert.deepEqual(lanes, { A: [0, 2], B: [1, 2], C: [0, 2], D: [0, 1] });
  });

  it('puts all-day items in the band over the dates they cover (end date exclusive), none outside the days shown', () => {
    const days = gridDays('2032-01-12', 7, SH);
    const grid = layoutGrid(days, [
      item('Conference', { date: '2032-01-13' }, { date: '2032-01-16' }),
      item('One day', { date: '2032-01-18' }, { date: '2032-01-18' }),
      item('Last week', { date: '2032-01-11' }, { date: '2032-01-12' }),
    ], SH);
    assert.deepEqual(grid.allDay.map((a) => [a.item.event.summary, a.first, a.last]), [['Conference', 1, 3], ['One day', 6, 6]]);
    assert.deepEqual(grid.blocks.flat(), []);
  });

  it('keeps an item of no length on its day; an item ending at midnight stays on its own day', () => {
    const days = gridDays('2032-01-12', 2, SH);
    const grid = layoutGrid(days, [
      timed('Reminder', '2032-01-12T08:00:00+08:00', '2032-01-12T08:00:00+08:00'),
      timed('Late', '2032-01-12T23:00:00+08:00', '2032-01-13T00:00:00+08:00'),
    ], SH);
    assert.deepEqual(grid.blocks[0]!.map((b) => [b.item.event.summary, b.top, b.height, b.toAfter]), [['Reminder', 480, 0, false], ['Late', 1380, 60, false]]);
    assert.deepEqual(grid.blocks[1], []);
  });
});
