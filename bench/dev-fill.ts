// dev only (not committed): prepare + fill a store in a given dir
import path from 'node:path';
import { writeDirectory } from './lib/directory.ts';
import { fillStore, prepareStore, SCALE_USERS, type StoreLocation } from './lib/scale-fill.ts';
const [dir, events, url] = process.argv.slice(2);
const directory = path.join(dir!, 'directory.json');
import { mkdirSync } from 'node:fs';
mkdirSync(dir!, { recursive: true });
writeDirectory(directory, SCALE_USERS);
const loc: StoreLocation = url ? { kind: 'postgres', url } : { kind: 'sqlite', dataDir: path.join(dir!, 'data') };
await prepareStore(loc, directory);
const r = await fillStore(loc, { events: Number(events), attendeesPerEvent: 5 }, SCALE_USERS, console.log);
console.log(r);
