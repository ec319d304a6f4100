// The iCalendar mapping of CalDAV objects (src/core/caldav: ical-parse, ical-render, ical-time,
// vtimezone), checked in memory: what Kalends renders reads back as the same event (a property
// test over generated events), and zoned wall-clock times convert as the IANA data says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import ICAL from 'ical.js';
import type { CalendarEvent, EventTime } from '../src/core/events/event.ts';
import { validateEventInput } from '../src/core/events/validate-event.ts';
import { parseCalendarObject } from '../src/core/caldav/ical-parse.ts';
import { renderObject, type RenderSource } from '../src/core/caldav/ical-render.ts';
import { instantToWall, wallToInstant } from '../src/core/caldav/ical-time.ts';
import { vtimezoneFor } from '../src/core/caldav/vtimezone.ts';

const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe'];
const RULES = [null, 'FREQ=DAILY;COUNT=5', 'FREQ=WEEKLY;BYDAY=MO,WE', 'FREQ=MONTHLY;INTERVAL=2;UNTIL=20380101T000000Z'];

function event(fields: Partial<CalendarEvent> & Pick<CalendarEvent, 'start' | 'end' | 'isAllDay'>): CalendarEvent {
  const base = {
    id: 'e1', tenantId: 't', calendarId: 'c', organizerId: 'u', summary: '', description: '', recurrence: null, details: {},
    status: 'confirmed', attendeeCount: 0, changeSeq: 1, seriesMasterId: null, originalStart: null, createdAt: 0, updatedAt: 0, deletedAt: null,
    ...fields,
  };
  return { ...base, range: validateEventInput(base) } as CalendarEvent;
}

function source(master: CalendarEvent): RenderSource {
  return {
    uid: 'uid-1', master, exceptions: [], organizer: { address: 'mailto:o@example.org', cn: 'O' }, kept: null,
    attendees: new Map([[master.id, [{ address: 'mailto:a@example.org', cn: 'A, with comma', cutype: null, optional: true, partstat: 'TENTATIVE' as const }]]]),
  };
}

const text = fc.string({ unit: fc.oneof(fc.constantFrom(',', ';', '\\', '\n', ':', '"', ' ', '中', 'é'), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 40 })
  .map((s) => s.replace(/\r/g, ''));

const timed = fc.record({
  zone: fc.constantFrom(...ZONES),
  start: fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }).map((s) => s * 1000),
  minutes: fc.integer({ min: 0, max: 60 * 24 * 3 }),
});
const allDay = fc.record({
  day: fc.integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2040, 0, 1) / 86_400_000 }),
  days: fc.integer({ min: 1, max: 10 }),
});

describe('iCalendar mapping of CalDAV objects', () => {
  it('an event rendered by Kalends reads back as the same event (property)', () => {
    fc.assert(fc.property(
      fc.oneof(timed.map((t) => ({ kind: 'timed' as const, ...t })), allDay.map((a) => ({ kind: 'allday' as const, ...a }))),
      text, text, text, fc.constantFrom(...RULES), fc.uniqueArray(fc.integer({ min: 0, max: 10_080 }), { maxLength: 3 }), fc.boolean(), fc.constantFrom(undefined, 'public', 'private'),
      (when, summary, description, location, rule, reminders, free, visibility) => {
        let start: EventTime;
        let end: EventTime;
        if (when.kind === 'timed') {
          start = { instant: when.start, timeZone: when.zone };
          end = { instant: when.start + when.minutes * 60_000, timeZone: when.zone };
        } else {
          const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
          start = { date: iso(when.day) };
          end = { date: iso(when.day + when.days) };
        }
        const details = {
          ...(location ? { location: { name: location } } : {}),
          ...(reminders.length ? { reminders: [...reminders].sort((a, b) => a - b).map((minutes) => ({ minutes })) } : {}),
          ...(free ? { freeBusyStatus: 'free' } : {}),
          ...(visibility ? { visibility } : {}),
        };
        const master = event({ start, end, isAllDay: when.kind === 'allday', summary, description, recurrence: rule, details });
        const rendered = renderObject(source(master));
        const parsed = parseCalendarObject(rendered, 'Asia/Shanghai');
        assert.equal(parsed.uid, 'uid-1');
        assert.deepEqual(parsed.master.input, { summary, description, isAllDay: master.isAllDay, start, end, recurrence: rule, details });
        assert.deepEqual(parsed.master.attendees, [{ address: 'mailto:a@example.org', cn: 'A, with comma', optional: true, cutype: 'INDIVIDUAL', partstat: 'TENTATIVE' }]);
        assert.equal(parsed.master.organizer, 'mailto:o@example.org');
      },
    ), { numRuns: 300 });
  });

  it('what a client sent and Kalends does not model reads back unchanged after a render (property)', () => {
    const xname = fc.stringMatching(/^X-[A-Z]{1,8}$/);
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(xname, text.filter((s) => !s.includes('\n'))), { selector: (t) => t[0], maxLength: 4 }), (props) => {
      const vevent = new ICAL.Component('vevent');
      vevent.addPropertyWithValue('uid', 'k1');
      vevent.addPropertyWithValue('dtstart', ICAL.Time.fromDateTimeString('2031-01-01T10:00:00Z'));
      for (const [name, value] of props) vevent.addPropertyWithValue(name.toLowerCase(), value);
      const vcalendar = new ICAL.Component('vcalendar');
      vcalendar.addPropertyWithValue('version', '2.0');
      vcalendar.addSubcomponent(vevent);
      const first = parseCalendarObject(vcalendar.toString(), 'UTC');
      const master = event({ start: first.master.input.start, end: first.master.input.end, isAllDay: false });
      const again = parseCalendarObject(renderObject({ ...source(master), uid: 'k1', kept: first.kept }), 'UTC');
      assert.deepEqual(again.kept.components, first.kept.components);
    }), { numRuns: 200 });
  });

  it('a client\'s series with overrides, EXDATEs, alarms and X- properties reads back the same after Kalends stores and renders it (property)', () => {
    const DAY = 86_400_000;
    fc.assert(fc.property(
      fc.constantFrom('America/New_York', 'Europe/Berlin', 'Asia/Shanghai', null), fc.integer({ min: 0, max: 3000 }),
      fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 4 }), fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 3 }),
      text, fc.uniqueArray(fc.integer({ min: 0, max: 600 }), { maxLength: 2 }),
      (zone, dayOffset, overridden, excluded, title, alarms) => {
        const exdays = excluded.filter((d) => !overridden.includes(d));
        const startDay = new Date(Date.UTC(2030, 0, 1) + dayOffset * DAY);
        const wall = (d: Date, hour: number) => ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute: 30, second: 0, isDate: false });
        const timeProp = (name: string, d: Date, hour: number) => {
          const p = new ICAL.Property(name);
          if (zone) p.setParameter('tzid', zone);
          p.setValue(wall(d, hour));
          return p;
        };
        const nth = (n: number) => new Date(startDay.getTime() + n * DAY);
        const vcalendar = new ICAL.Component('vcalendar');
        vcalendar.addPropertyWithValue('version', '2.0');
        vcalendar.addPropertyWithValue('x-wr-calname', 'Mine');
        const master = new ICAL.Component('vevent');
        master.addPropertyWithValue('uid', 'series-1');
        master.addProperty(timeProp('dtstart', startDay, 9));
        master.addProperty(timeProp('dtend', startDay, 10));
        master.addPropertyWithValue('rrule', ICAL.Recur.fromString('FREQ=DAILY;COUNT=10'));
        master.addPropertyWithValue('summary', title);
        master.addPropertyWithValue('x-series-note', 'kept');
        for (const d of exdays) master.addProperty(timeProp('exdate', nth(d), 9));
        for (const m of alarms) {
          const alarm = new ICAL.Component('valarm');
          alarm.addPropertyWithValue('action', 'DISPLAY');
          alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-m * 60));
          master.addSubcomponent(alarm);
        }
        vcalendar.addSubcomponent(master);
        for (const d of overridden) {
          const o = new ICAL.Component('vevent');
          o.addPropertyWithValue('uid', 'series-1');
          o.addProperty(timeProp('recurrence-id', nth(d), 9));
          o.addProperty(timeProp('dtstart', nth(d), 14));
          o.addProperty(timeProp('dtend', nth(d), 15));
          o.addPropertyWithValue('summary', `${title} #${d}`);
          vcalendar.addSubcomponent(o);
        }
        const first = parseCalendarObject(vcalendar.toString(), 'Asia/Shanghai');
        // What Kalends stores: the master, an exception per override, a cancelled exception per EXDATE.
        const stored = event({ ...first.master.input });
        const exceptions = [
          ...first.overrides.map((o, i) => event({ ...o.input, id: `x${i}`, seriesMasterId: stored.id, originalStart: o.recurrenceId })),
          ...first.master.exdates.map((start, i) => ({ ...event({ ...first.master.input, recurrence: null }), id: `c${i}`, seriesMasterId: stored.id, originalStart: start, deletedAt: 1 })),
        ];
        const again = parseCalendarObject(renderObject({ ...source(stored), uid: 'series-1', exceptions, kept: first.kept }), 'Asia/Shanghai');
        assert.deepEqual(again.master.input, first.master.input);
        assert.deepEqual([...again.master.exdates].sort(), [...first.master.exdates].sort());
        const byStart = (list: typeof first.overrides) => [...list].sort((a, b) => a.recurrenceId! - b.recurrenceId!).map((o) => [o.recurrenceId, o.input]);
        assert.deepEqual(byStart(again.overrides), byStart(first.overrides));
        assert.deepEqual(again.kept, first.kept);
      },
    ), { numRuns: 150 });
  });

  it('converts wall-clock times of a zone as Intl does, around daylight-saving changes', () => {
    // 2031-03-09 02:30 does not exist in New York (spring forward): read with the offset before the gap.
    assert.equal(new Date(wallToInstant({ year: 2031, month: 3, day: 9, hour: 2, minute: 30, second: 0 }, 'America/New_York')).toISOString(), '2031-03-09T07:30:00.000Z');
    // 2031-11-02 01:30 happens twice: the first (EDT).
    assert.equal(new Date(wallToInstant({ year: 2031, month: 11, day: 2, hour: 1, minute: 30, second: 0 }, 'America/New_York')).toISOString(), '2031-11-02T05:30:00.000Z');
    fc.assert(fc.property(fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1) / 60_000, max: Date.UTC(2040, 0, 1) / 60_000 }), (zone, minute) => {
      const instant = minute * 60_000;
      assert.equal(wallToInstant(instantToWall(instant, zone), zone) <= instant, true);
      assert.deepEqual(instantToWall(wallToInstant(instantToWall(instant, zone), zone), zone), instantToWall(instant, zone));
    }), { numRuns: 500 });
  });

  it('a generated VTIMEZONE gives the offsets of the IANA data (ical.js reads it)', () => {
    for (const zone of ['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Shanghai']) {
      const tz = new ICAL.Timezone(vtimezoneFor(zone, 2031));
      for (const instant of [Date.UTC(2031, 0, 15, 12), Date.UTC(2031, 6, 15, 12), Date.UTC(2035, 3, 1, 12), Date.UTC(2031, 9, 20, 12)]) {
        const wall = instantToWall(instant, zone);
        const local = ICAL.Time.fromData({ ...wall, isDate: false }, tz);
        assert.equal(local.toUnixTime() * 1000, instant, `${zone} at ${new Date(instant).toISOString()}`);
      }
    }
  });

  it('refuses a resource that breaks the object rules, naming the precondition', () => {
    const bad = (lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
    assert.throws(() => parseCalendarObject(bad(['BEGIN:VEVENT', 'UID:a', 'DTSTART:20310101T100000Z', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:a', 'RECURRENCE-ID:20310102T100000Z', 'DTSTART:20310102T100000Z', 'END:VEVENT']), 'UTC'),
      (e: { detail?: { precondition?: string } }) => e.detail?.precondition === 'valid-calendar-object-resource');
    assert.throws(() => parseCalendarObject(bad(['BEGIN:VEVENT', 'DTSTART:20310101T100000Z', 'END:VEVENT']), 'UTC'),
      (e: { detail?: { precondition?: string } }) => e.detail?.precondition === 'valid-calendar-object-resource');
  });
});
