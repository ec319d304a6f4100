import type { ViewItem } from '../../../core/schedule/calendar-view.ts';
import { localDate, localTime, type GridAllDay, type GridBlock, type TimeGrid } from '../time-grid.ts';
import { Layout } from './layout.tsx';
import { href } from './parts.tsx';

/** The time grid's own styles: hours down (24 × 48 px), days across, shading as free/busy has it. */
const GRID_STYLE = `
.cal-nav{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:0 0 10px}
.cal-nav a{padding:4px 10px;border:1px solid #c6ccd5;border-radius:4px;background:#fff;text-decoration:none}
.cal-nav .range{font-weight:600;margin:0 6px}
.legend{display:flex;gap:14px;align-items:center;flex-wrap:wrap;margin:0 0 10px;font-size:12.5px;color:#3b4452}
.legend span.sw{display:inline-block;width:22px;height:12px;vertical-align:middle;margin-right:4px;border-left-width:4px;border-left-style:solid}
.tg{display:grid;background:#fff;border:1px solid #dde1e7;border-radius:6px}
.tg>div.h{padding:6px 8px;border-bottom:1px solid #dde1e7;border-left:1px solid #eef1f5;font-weight:600;background:#eef1f5}
.tg>div.h.today{background:#dbe8fb}
.tg>div.h a{text-decoration:none}
.tg>div.corner{padding:6px 4px;font-size:10.5px;overflow-wrap:anywhere;color:#5b6575;border-bottom:1px solid #dde1e7;background:#eef1f5}
.tg>div.band-label{font-size:11px;color:#5b6575;padding:4px;border-bottom:1px solid #dde1e7}
.tg>div.band-bg{border-bottom:1px solid #dde1e7;border-left:1px solid #eef1f5;min-height:26px}
.tg>.allday{margin:2px 3px;padding:2px 6px;border-radius:4px;font-size:12px;text-decoration:none;color:#1d2430;border-left-width:4px;border-left-style:solid;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;align-self:start}
.tg .hours{position:relative;height:1152px}
.tg .hours div{position:absolute;right:6px;font-size:11px;color:#5b6575;transform:translateY(-50%)}
.tg .col{position:relative;height:1152px;border-left:1px solid #eef1f5;background:repeating-linear-gradient(to bottom,#e6e9ee 0,#e6e9ee 1px,transparent 1px,transparent 48px)}
.tg .col.today{background-color:#f7faff}
.tg .ev{position:absolute;overflow:hidden;border-radius:4px;padding:1px 4px;font-size:12px;line-height:1.3;text-decoration:none;color:#1d2430;border-left-width:4px;border-left-style:solid;box-shadow:0 0 0 1px #fff}
.tg .ev .t{font-variant-numeric:tabular-nums;color:#3b4452}.tg .ev .s{font-weight:600;margin-left:4px}
.busy-BUSY{background:#c9dcf7;border-color:#1f5fbf}
.busy-TENTATIVE{background:repeating-linear-gradient(45deg,#fff4d9 0,#fff4d9 6px,#fde3a4 6px,#fde3a4 12px);border-color:#c98a00}
.busy-FREE{background:#fff;outline:1px dashed #8aa3c2;outline-offset:-1px;border-color:#8aa3c2}
.busy-none{background:#f1f2f4;border-color:#9aa1ab;color:#5b6575}
.kind-cancelled{background:#fff;opacity:.6;border-color:#b3261e;outline:1px dashed #d99;outline-offset:-1px}
.kind-cancelled .s,.kind-cancelled .t,.allday.kind-cancelled .label{text-decoration:line-through}
.mark{display:inline-block;font-size:10.5px;line-height:1.4;padding:0 4px;border-radius:3px;margin-left:3px;font-weight:600;text-decoration:none}
.mark.changed{background:#6b3fa0;color:#fff}.mark.cancelled{background:#b3261e;color:#fff}.mark.repeats{background:#e3e7ee;color:#3b4452}.mark.none{background:#e3e7ee;color:#5b6575}
`;

/** Whose calendar a view shows: a user (their primary calendar and invitations) or a meeting room. */
export interface ScheduleSubject {
  kind: 'user' | 'room';
  id: string;
  name: string;
  /** Extra facts shown beside the name (room id, capacity, tenant). */
  facts: ReadonlyArray<readonly [string, string]>;
}

export interface ScheduleData {
  subject: ScheduleSubject;
  mode: 'week' | 'day';
  /** The date asked for (or today), `YYYY-MM-DD` in the calendar's zone. */
  date: string;
  today: string;
  timeZone: string;
  calendarId: string | null;
  grid: TimeGrid;
  /** Addresses of the previous and next week (day), today's, and the same date in the other mode. */
  nav: { previous: string; next: string; today: string; other: string };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function dayLabel(date: string): string {
  return `${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]} ${date}`;
}

/** `09:00–10:00`; with dates when the item runs over midnight. */
function timesOf(item: ViewItem, timeZone: string): string {
  const startDate = localDate(item.start, timeZone);
  const endDate = localDate(Math.max(item.end - 1, item.start), timeZone);
  if (startDate === endDate) return `${localTime(item.start, timeZone)}–${localTime(item.end, timeZone)}`;
  return `${startDate} ${localTime(item.start, timeZone)} – ${localDate(item.end, timeZone)} ${localTime(item.end, timeZone)}`;
}

const BUSY_WORDS = { BUSY: 'busy', TENTATIVE: 'tentative', FREE: 'free' } as const;

/** The item's markers: changed (with where it was), cancelled, an occurrence of a series, no time taken. */
function Marks(props: { item: ViewItem; timeZone: string }) {
  const { item, timeZone } = props;
  const original = item.event.originalStart;
  const was = original === null ? '' : ` ${localDate(original, timeZone).slice(5)} ${localTime(original, timeZone)}`;
  return (
    <>
      {item.kind === 'exception' && <span class="mark changed" title={`changed occurrence, originally${was}`}>changed</span>}
      {item.kind === 'cancelled' && <span class="mark cancelled" title={`cancelled occurrence of${was}`}>cancelled</span>}
      {item.kind === 'occurrence' && <span class="mark repeats" title="an occurrence of a recurring series">repeats</span>}
      {item.kind !== 'cancelled' && item.busy === null && <span class="mark none" title="takes no time in free/busy (declined or cancelled)">not busy</span>}
    </>
  );
}

/** The tooltip: what the item is and where its link goes. */
function describe(item: ViewItem, timeZone: string): string {
  const parts = [item.event.summary || '(no summary)', timesOf(item, timeZone)];
  if (item.kind === 'occurrence') parts.push(`occurrence of ${localDate(item.start, timeZone)}; the link opens its series`);
  if (item.kind === 'exception') parts.push(`changed occurrence (originally ${localDate(item.event.originalStart ?? item.start, timeZone)} ${localTime(item.event.originalStart ?? item.start, timeZone)})`);
  if (item.kind === 'cancelled') parts.push('cancelled occurrence');
  parts.push(item.busy === null ? 'not busy' : BUSY_WORDS[item.busy]);
  return parts.join(' · ');
}

function itemClass(item: ViewItem, base: string): string {
  return `${base} kind-${item.kind} busy-${item.busy ?? 'none'}`;
}

function dataOf(item: ViewItem, timeZone: string) {
  return {
    'data-kind': item.kind,
    'data-busy': item.busy ?? 'none',
    'data-occurrence': item.event.originalStart === null ? undefined : localDate(item.event.originalStart, timeZone),
  };
}

function Block(props: { block: GridBlock; timeZone: string }) {
  const { block, timeZone } = props;
  const { item } = block;
  const style = [
    `top:${(block.top / 1440) * 100}%`, `height:max(${(block.height / 1440) * 100}%,16px)`,
    `left:calc(${(block.lane / block.lanes) * 100}% + 2px)`, `width:calc(${100 / block.lanes}% - 4px)`,
  ].join(';');
  return (
    <a class={itemClass(item, 'ev')} href={href.event(item.event.id)} style={style} title={describe(item, timeZone)} {...dataOf(item, timeZone)}>
      <span class="t">{block.fromBefore ? '… ' : ''}{timesOf(item, timeZone)}{block.toAfter ? ' …' : ''}</span>
      <Marks item={item} timeZone={timeZone} />
      <span class="s">{item.event.summary || '(no summary)'}</span>
    </a>
  );
}

function AllDay(props: { entry: GridAllDay; row: number; timeZone: string }) {
  const { entry, row, timeZone } = props;
  const { item } = entry;
  return (
    <a class={itemClass(item, 'allday')} href={href.event(item.event.id)} style={`grid-column:${entry.first + 2}/${entry.last + 3};grid-row:${row}`}
      title={describe(item, timeZone)} {...dataOf(item, timeZone)}>
      <span class="label">{item.event.summary || '(no summary)'}</span>
      <Marks item={item} timeZone={timeZone} />
    </a>
  );
}

/** Hours down, days across; all-day items in a band on top, one row each. */
function Grid(props: ScheduleData & { dayHref: (date: string) => string }) {
  const { grid, timeZone } = props;
  const bandRows = Math.max(grid.allDay.length, 1);
  const bodyRow = bandRows + 2;
  return (
    <div class="tg" style={`grid-template-columns:56px repeat(${grid.days.length},minmax(0,1fr))`} role="region" aria-label="time grid">
      <div class="corner" title="the calendar's time zone">{timeZone}</div>
      {grid.days.map((d) => (
        <div class={d.date === props.today ? 'h today' : 'h'} data-date={d.date}>
          {props.mode === 'week' ? <a href={props.dayHref(d.date)}>{dayLabel(d.date)}</a> : dayLabel(d.date)}
        </div>
      ))}
      <div class="band-label" style={`grid-row:2/${bodyRow}`}>all day</div>
      {grid.days.map((_d, i) => <div class="band-bg" style={`grid-column:${i + 2};grid-row:2/${bodyRow}`} />)}
      {grid.allDay.map((entry, i) => <AllDay entry={entry} row={i + 2} timeZone={timeZone} />)}
      <div class="hours" style={`grid-row:${bodyRow}`}>
        {Array.from({ length: 23 }, (_x, i) => <div style={`top:${((i + 1) / 24) * 100}%`}>{`${String(i + 1).padStart(2, '0')}:00`}</div>)}
      </div>
      {grid.days.map((d, i) => (
        <div class={d.date === props.today ? 'col today' : 'col'} style={`grid-column:${i + 2};grid-row:${bodyRow}`} data-date={d.date}>
          {(grid.blocks[i] ?? []).map((block) => <Block block={block} timeZone={timeZone} />)}
        </div>
      ))}
    </div>
  );
}

function Legend() {
  return (
    <div class="legend" aria-label="legend">
      <span><span class="sw busy-BUSY" />busy</span>
      <span><span class="sw busy-TENTATIVE" />tentative</span>
      <span><span class="sw busy-FREE" />free</span>
      <span><span class="sw busy-none" />not busy (declined)</span>
      <span><span class="mark changed">changed</span> a changed occurrence</span>
      <span><span class="mark cancelled">cancelled</span> a cancelled occurrence</span>
      <span><span class="mark repeats">repeats</span> an occurrence of a series (its link opens the series)</span>
    </div>
  );
}

/** `/console/users/:id/week|day`, `/console/rooms/:id/week|day`: one calendar on a time grid. */
export function SchedulePage(props: ScheduleData & { dayHref: (date: string) => string }) {
  const { subject, grid } = props;
  const first = grid.days[0]?.date ?? props.date;
  const last = grid.days[grid.days.length - 1]?.date ?? props.date;
  const range = first === last ? dayLabel(first) : `${dayLabel(first)} – ${dayLabel(last)}`;
  const subjectHref = subject.kind === 'user' ? href.user(subject.id) : '/console/rooms';
  const count = grid.allDay.length + new Set(grid.blocks.flat().map((b) => b.item)).size;
  return (
    <Layout title={`${subject.kind === 'user' ? 'User' : 'Room'} ${subject.name}: ${props.mode === 'week' ? 'week' : 'day'} of ${first}`} extraStyle={GRID_STYLE}>
      <div class="card">
        <dl class="kv">
          <dt>{subject.kind === 'user' ? 'User' : 'Room'}</dt><dd><a href={subjectHref}>{subject.name}</a></dd>
          {subject.facts.map(([k, v]) => (<><dt>{k}</dt><dd class="mono">{v}</dd></>))}
          <dt>Calendar</dt><dd>{props.calendarId ? <a class="mono" href={href.calendar(props.calendarId)}>{props.calendarId}</a> : <span class="muted">none</span>}</dd>
          <dt>Time zone</dt><dd>{props.timeZone}</dd>
        </dl>
      </div>
      <nav class="cal-nav" aria-label="calendar navigation">
        <a href={props.nav.previous} rel="prev">{props.mode === 'week' ? '‹ Previous week' : '‹ Previous day'}</a>
        <a href={props.nav.today}>Today</a>
        <a href={props.nav.next} rel="next">{props.mode === 'week' ? 'Next week ›' : 'Next day ›'}</a>
        <span class="range">{range}</span>
        <span class="muted">{count} {count === 1 ? 'item' : 'items'}</span>
        <a href={props.nav.other}>{props.mode === 'week' ? 'Day view' : 'Week view'}</a>
      </nav>
      <Legend />
      <Grid {...props} />
    </Layout>
  );
}
