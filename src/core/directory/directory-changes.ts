/**
 * What this process remembers of the directory (acting users, attendee users, tokens' app
 * identities) forgets it when this process changes the directory (a load at start, the admin
 * API's directory and user edits), so the change applies to the next request. Other processes
 * on the same store (`--workers`, several nodes) see it when their memory of it expires.
 *
 * A reader that looked something up must remember it only if no change came in between: it
 * takes `directoryGeneration()` before its query and compares after (a lookup that began before
 * a change could otherwise put the old row back once the change had emptied the memory).
 *
 * "The next request" is one that starts after the change's call has answered: on SQLite a
 * write queued beside a directory load shares its transaction (sqlite-group-commit.ts) but may
 * still be answered from the memory of before the load, as if it had run first; neither call
 * has answered by then.
 */
const forgetters = new Set<() => void>();
let generation = 0;

/** Registers what to forget when this process changes the directory. */
export function onDirectoryChange(forget: () => void): void {
  forgetters.add(forget);
}

/** Counts this process's directory changes. */
export function directoryGeneration(): number {
  return generation;
}

/**
 * Called when a directory change has been committed — or has failed: what was read from its
 * uncommitted writes inside a shared transaction is forgotten either way.
 */
export function directoryChanged(): void {
  generation++;
  for (const forget of forgetters) forget();
}
