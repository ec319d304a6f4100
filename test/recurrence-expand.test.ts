// The series expansion on its own (core/recurrence/expand.ts): RFC 5545 time-zone rules, rules
// that skip invalid dates, and the restart before a window and the remembered stretches, which
// must give exactly what a plain expansion from the first occurrence gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOccurrence, lastStartBound, nextOccurrences, occurrenceStarts, producesOccurrence, type SeriesRule } from '../src/core/recurrence/expand.ts';

const iso = (ms: number[]) => ms.map((m) => new Date(m).toISOString());
const timed = (start: string, zone: string, rule: string, minutes = 60): SeriesRule => ({
  start: { instant: Date.parse(start), timeZone: zone }, end: { instant: Date.parse(start) + minutes * 60_000, timeZone: zone }, rule,
});

describe('occurrenceStarts', () => {
  it('a local time in the spring-forward gap takes the offset before the gap; afterwards the local time holds', () => {
    // 02:30 America/New_York does not exist on 2027-03-14.
    const s = timed('2027-03-12T07:30:00Z', 'America/New_York', 'FREQ=DAILY;COUNT=4');
    assert.deepEqual(iso(occurrenceStarts(s, 0, 8.64e15)), [
      '2027-03-12T07:30:00.000Z', '2027-03-13T07:30:00.000Z', '2027-03-14T07:30:00.000Z', '2027-03-15T06:30:00.000Z',
    ]);
  });

  it('a local time repeated at fall-back is its first instance', () => {
    // 01:30 America/New_York happens twice on 2027-11-07 (EDT, then EST).
    const s = timed('2027-11-06T05:30:00Z', 'America/New_York', 'FREQ=DAILY;COUNT=3');
    assert.deepEqual(iso(occurrenceStarts(s, 0, 8.64e15)), ['2027-11-06T05:30:00.000Z', '2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z']);
  });

  it('a monthly rule on the 31st skips short months; a yearly one on Feb 29 leap years only', () => {
    const monthly: SeriesRule = { start: { date: '2030-01-31' }, end: { date: '2030-02-01' }, rule: 'FREQ=MONTHLY' };
    assert.deepEqual(iso(occurrenceStarts(monthly, Date.parse('2030-01-01'), Date.parse('2030-06-01'))).map((d) => d.slice(0, 10)), ['2030-01-31', '2030-03-31', '2030-05-31']);
    const yearly: SeriesRule = { start: { date: '2024-02-29' }, end: { date: '2024-03-01' }, rule: 'FREQ=YEARLY' };
    assert.deepEqual(iso(occurrenceStarts(yearly, Date.parse('2024-01-01'), Date.parse('2033-01-01'))).map((d) => d.slice(0, 10)), ['2024-02-29', '2028-02-29', '2032-02-29']);
  });

  it('windows anywhere in a long series give what one expansion from its start gives (restart and stretches)', () => {
    const rules = ['FREQ=DAILY;INTERVAL=3', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=30', 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU', 'FREQ=HOURLY;INTERVAL=7'];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (const rule of rules) {
      const s = timed('2021-05-17T01:15:00Z', 'Europe/Berlin', rule);
      // The same rule counted from the start (COUNT rules are never restarted nor remembered).
      const all = occurrenceStarts({ ...s, rule: `${rule};COUNT=5000` }, 0, 8.64e15);
      for (let i = 0; i < 8; i++) {
        const from = Date.parse('2021-05-01') + Math.floor(random() * 10 * 365) * 86_400_000;
        const to = from + Math.floor(1 + random() * 90) * 86_400_000;
        const expected = all.filter((t) => t >= from && t < to);
        if (expected.length === 0 || expected[expected.length - 1]! === all[all.length - 1]) continue;
        assert.deepEqual(occurrenceStarts(s, from, to), expected, `${rule} in [${new Date(from).toISOString()}, ${new Date(to).toISOString()})`);
      }
    }
  });
});

describe('isOccurrence, nextOccurrences, lastStartBound', () => {
  const weekly = timed('2027-01-04T14:00:00Z', 'America/New_York', 'FREQ=WEEKLY;BYDAY=MO');
  it('knows its own occurrences and nothing an hour off', () => {
    assert.equal(isOccurrence(weekly, Date.parse('2027-03-15T13:00:00Z')), true);
    assert.equal(isOccurrence(weekly, Date.parse('2027-03-15T14:00:00Z')), false);
  });
  it('lists the next occurrences from a time', () => {
    assert.deepEqual(iso(nextOccurrences(weekly, Date.parse('2027-03-02T00:00:00Z'), 2)), ['2027-03-08T14:00:00.000Z', '2027-03-15T13:00:00.000Z']);
  });
  it('bounds a series: COUNT by its last start, UNTIL by UNTIL, no end by null', () => {
    assert.equal(new Date(lastStartBound({ ...weekly, rule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=3' })!).toISOString(), '2027-01-18T14:00:00.000Z');
    assert.ok(lastStartBound({ ...weekly, rule: 'FREQ=WEEKLY;UNTIL=20270301T000000Z' })! >= Date.parse('2027-03-01T00:00:00Z'));
    assert.equal(lastStartBound(weekly), null);
  });
  it('a rule whose parts contradict each other produces no occurrence; a rare one does', () => {
    assert.equal(producesOccurrence({ ...weekly, rule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' }), false);
    assert.equal(producesOccurrence({ ...weekly, rule: 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;COUNT=2' }), false);
    assert.equal(producesOccurrence({ ...weekly, rule: 'FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=-30' }), false);
    // 29 February falling on a Monday: 2044, seventeen years after the series starts.
    assert.equal(producesOccurrence({ ...weekly, rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO' }), true);
    assert.equal(producesOccurrence(weekly), true);
  });
  it('a COUNT rule rarer than a century of occurrences is bounded as endless', () => {
    assert.equal(lastStartBound({ ...weekly, rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=8' }), null);
    assert.equal(new Date(lastStartBound({ ...weekly, rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1' })!).toISOString(), '2044-02-29T14:00:00.000Z');
  });
});
