import { directoryGeneration, onDirectoryChange } from './directory-changes.ts';

/**
 * A per-process memory of directory rows that is forgotten whole: when older than `maxAgeMs`,
 * when `isFull` says so, and at once when this process changes the directory
 * (directory-changes.ts). Forgetting replaces it with a new one from `make` rather than
 * clearing it, so a memory already handed out to a caller stays whole.
 *
 * A reader takes `directoryGeneration()` before its query and keeps what it found only if
 * `mayKeep` says so afterwards.
 */
export class DirectoryMemory<M> {
  private memory: M;
  private since = performance.now();

  constructor(private readonly make: () => M, private readonly maxAgeMs: number, private readonly isFull: (memory: M) => boolean) {
    this.memory = make();
    onDirectoryChange(() => this.forget());
  }

  /** The memory to read, renewed first when it is too old or too full. */
  current(): M {
    if (performance.now() - this.since > this.maxAgeMs || this.isFull(this.memory)) this.forget();
    return this.memory;
  }

  /**
   * Whether rows looked up for `memory` since `generation` may be kept in it: no directory
   * change came in between (the old row would otherwise come back once the change had emptied
   * the memory) and `memory` is still the current one.
   */
  mayKeep(memory: M, generation: number): boolean {
    return generation === directoryGeneration() && memory === this.memory;
  }

  private forget(): void {
    this.memory = this.make();
    this.since = performance.now();
  }
}
