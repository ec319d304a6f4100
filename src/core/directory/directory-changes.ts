/**
 * What this process remembers of the directory (acting users, tokens' app identities) forgets
 * it when this process changes the directory (a load at start, the admin API's directory and
 * user edits), so the change applies to the next request. Other processes on the same store
 * (`--workers`, several nodes) see it when their memory of it expires.
 */
const forgetters = new Set<() => void>();

/** Registers what to forget when this process changes the directory. */
export function onDirectoryChange(forget: () => void): void {
  forgetters.add(forget);
}

/** Called once a directory change is committed. */
export function directoryChanged(): void {
  for (const forget of forgetters) forget();
}
