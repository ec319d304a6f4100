// Which statements would read a whole tenant in a big store: SQLite's plan (EXPLAIN QUERY PLAN)
// of every statement in a log written by bench/lib/statement-log.mjs, against a store filled as
// `npm run bench -- --scale` fills it. Flags a plan step that scans a filled table (events,
// attendees, event_legacy_ids, attendee_chat_members) or enters events only by
// `events_by_tenant_change (tenant_id=?)`. See bench/README.md, "The scaled store".
//
//   SQL_STATEMENT_LOG=/tmp/statements.txt NODE_OPTIONS="--import $PWD/bench/lib/statement-log.mjs" \
//     KALENDS_TEST_STORE=sqlite node --import tsx --test test/openapi.test.ts …
//   node --import tsx bench/scale-plans.ts --statements /tmp/statements.txt [--scale-events N] [--store FILE]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { SQLITE_FILE } from '../src/store/sqlite.ts';
import { writeDirectory } from './lib/directory.ts';
import { fillStore, FULL_FILL, prepareStore, SCALE_USERS } from './lib/scale-fill.ts';

const { values } = parseArgs({ options: { statements: { type: 'string' }, 'scale-events': { type: 'string' }, store: { type: 'string' } } });
if (!values.statements) throw new Error('usage: scale-plans.ts --statements FILE [--scale-events N] [--store FILE]');

const FILLED = /\b(events|attendees|event_legacy_ids|attendee_chat_members)\b/;

/** A plan step that reads a whole filled table, or all of a tenant's events. */
function tenantWide(detail: string): boolean {
  return (/^SCAN /.test(detail) && FILLED.test(detail)) || /events_by_tenant_change \(tenant_id=\?\)$/.test(detail);
}

/** One statement per shape: lists of `?` and rows of VALUES folded. */
function shape(text: string): string {
  return text.replace(/\(\?(, \?)+\)/g, '(?, …)').replace(/values \(.*\)(, \(.*\))+/g, 'values (…)');
}

const tmp = values.store ? undefined : mkdtempSync(path.join(os.tmpdir(), 'kalends-plans-'));
try {
  let file = values.store;
  if (!file) {
    const directory = path.join(tmp!, 'directory.json');
    writeDirectory(directory, SCALE_USERS);
    const location = { kind: 'sqlite', dataDir: path.join(tmp!, 'data') } as const;
    await prepareStore(location, directory);
    const events = values['scale-events'] ? Number(values['scale-events']) : FULL_FILL.events;
    const fill = await fillStore(location, { ...FULL_FILL, events }, SCALE_USERS, (line) => process.stderr.write(`${line}\n`));
    process.stderr.write(`filled ${events.toLocaleString('en')} events in ${fill.seconds.toFixed(0)} s\n`);
    file = path.join(location.dataDir, SQLITE_FILE);
  }
  const db = new SqliteDatabase(file, { readonly: true });
  const shapes = new Map<string, string>();
  for (const line of readFileSync(values.statements, 'utf8').split('\n').filter(Boolean)) {
    const text = JSON.parse(line) as string;
    if (/^\s*(select|update|delete|insert|with)/i.test(text) && !shapes.has(shape(text))) shapes.set(shape(text), text);
  }
  let flagged = 0;
  for (const [key, text] of shapes) {
    let plan: string[];
    try {
      const params = Array((text.match(/\?/g) ?? []).length).fill(null);
      plan = (db.prepare(`explain query plan ${text}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
    } catch {
      continue; // a statement of a table this store lacks (a migration's own)
    }
    const wide = plan.filter(tenantWide);
    if (wide.length === 0) continue;
    flagged++;
    process.stdout.write(`${key.slice(0, 600)}\n    ${wide.join(' | ')}\n\n`);
  }
  process.stdout.write(`${shapes.size} statement shapes, ${flagged} reading a whole table or tenant\n`);
  db.close();
} finally {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
