/**
 * A wall clock the test moves by hand, for throttles and expiry: only `Date` is faked (jest's
 * fake timers with every other API left real), so the real server running in this process, its
 * sockets, timers and database keep working, while every `new Date()` and `Date.now()` (the
 * server's included) reads the time the test set. The clock stands still until moved, or, when
 * `ticking`, runs at the real pace from where it was set (it never goes back: a jump ahead
 * stays ahead).
 */
export interface FakeClock {
  /** The clock's time, in ms since the epoch. */
  now(): number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Back to the real clock. */
  restore(): void;
}

/** Fakes `Date`, from the current real time (undone by `restore`). */
export function freezeClock(options: { ticking?: boolean } = {}): FakeClock {
  jest.useFakeTimers({
    advanceTimers: options.ticking ?? false,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    now: Date.now(),
  });
  return {
    now: () => Date.now(),
    advance: (ms) => jest.setSystemTime(Date.now() + ms),
    restore: () => jest.useRealTimers(),
  };
}
