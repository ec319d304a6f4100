import { storeIdentity, type Db } from '../../store/store.ts';

/** Most characters and bytes of rendered objects kept per process. */
const MAX_CHARS = 32 * 1024 * 1024;

/** A rendering: the text and its UTF-8 bytes. */
export interface Rendered {
  text: string;
  bytes: Buffer;
}

interface Memory {
  texts: Map<string, Rendered>;
  chars: number;
}

const stores = new WeakMap<object, Memory>();

/**
 * Rendered calendar objects by what their rendering depends on (the key holds the strong ETag,
 * a digest of the change-log positions of the event, its exceptions and the resource row, so a
 * change through any dialect or process gives a new key), kept per store and process, least
 * recently used first out past 32 M characters and bytes. The key also holds this process's directory
 * generation (directory-changes.ts), so a directory change here renders names and e-mails anew
 * (another process's directory change shows with the event's next change). Why: a GET of a 5,000-attendee event spent
 * ~65 ms reading and writing what had not changed (ical.js over 5,000 ATTENDEE lines), Radicale
 * serves the same request from the file it stored.
 */
export function cachedRender(db: Db, key: string): Rendered | undefined {
  const memory = stores.get(storeIdentity(db));
  const text = memory?.texts.get(key);
  if (text !== undefined) {
    memory!.texts.delete(key);
    memory!.texts.set(key, text);
  }
  return text;
}

export function rememberRender(db: Db, key: string, rendered: Rendered): void {
  const identity = storeIdentity(db);
  let memory = stores.get(identity);
  if (!memory) stores.set(identity, (memory = { texts: new Map(), chars: 0 }));
  const size = (r: Rendered) => r.text.length + r.bytes.length;
  if (size(rendered) > MAX_CHARS / 4 || memory.texts.has(key)) return;
  memory.texts.set(key, rendered);
  memory.chars += size(rendered) + key.length;
  for (const [oldKey, old] of memory.texts) {
    if (memory.chars <= MAX_CHARS) break;
    memory.texts.delete(oldKey);
    memory.chars -= size(old) + oldKey.length;
  }
}
