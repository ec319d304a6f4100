#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4 --max-old-space-size=1024
// The `kalends` binary. It runs the compiled build in dist/ (made by `npm run build`, which
// `npm ci` runs through `prepare`) when that build is at least as new as every source file;
// otherwise — a checkout being edited — it runs the TypeScript sources through tsx (a dev
// dependency), so a stale build is never what runs. An installed package has no src/: the build runs.
//
// The V8 heap settings of the shebang (Node's documented --max-semi-space-size and
// --max-old-space-size, in MiB) bound the server's memory: by default V8 gives the young
// generation 2 × 16 MiB, and on a machine of several GiB lets old-space garbage grow to several
// times what is live before a full collection (V8 scales that growing factor down with the
// old-space ceiling). A server's live heap is tens of MiB (the data is in the store). Measured with
// `npm run bench -- --quick` (bench/README.md): peak RSS of the 50-connection rows 161–280 MB
// → 131–191 MB, req/s within noise. `node [flags] bin/kalends.mjs` sets them otherwise.
//
// MALLOC_ARENA_MAX=2 (glibc's documented tunable, mallopt(3) M_ARENA_MAX) keeps glibc from
// giving each of Node's threads (libuv's pool, V8's workers, the WAL checkpoint thread) a malloc
// arena of its own, each holding freed memory apart: the work is on one thread, and two arenas
// serve it. `npm run bench -- --quick`, three runs each: the run's peak RSS 190–201 → 181 MB,
// every row 8–16 MB lower, req/s within noise. Other C libraries ignore it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function buildIsCurrent() {
  // An installed package (npm pack) has the build and no sources.
  if (!existsSync(`${root}src`)) return true;
  try {
    return statSync(`${root}dist/.built`).mtimeMs >= newestSource(`${root}src`);
  } catch {
    return false;
  }
}

let main;
if (buildIsCurrent()) {
  ({ main } = await import('../dist/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/main.ts'));
}
await main(process.argv);
