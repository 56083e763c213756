/** Runs tasks one at a time per key, in the order they were queued; other keys run freely. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();
  /** Tasks queued or running per key (keys with none are absent). */
  private readonly counts = new Map<string, number>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // The maps hold only keys with work queued: a busy node sees thousands of documents.
    void tail.then(() => {
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many tasks of `key` hold or wait for it: 2 means one runs and one waits. */
  queued(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
