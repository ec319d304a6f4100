import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SETTINGS } from '../src/config/schema.ts';

test('the README configuration table is the config schema', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.split('<!-- config-table:start -->')[1]?.split('<!-- config-table:end -->')[0] ?? '';
  const rows = table.trim().split('\n').slice(2).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
  const expected = Object.values(SETTINGS).map((s) => [
    `\`${s.flag}\``, `\`${s.env}\``, s.default === undefined ? 'none' : `\`${String(s.default)}\``, s.description,
  ]);
  assert.deepEqual(rows, expected);
});
