/**
 * The one polling helper of the tests, and the only place in test/ (with fake-timer tests) where a
 * test uses a timer: polling (`poll`, `until`), deadlines on waits for events (`within`), and
 * the pace of load generators (`pace`).
 *
 * Polling is for what gives no event to the test: a page's DOM seen from outside, a child
 * process's output or port, a REST or metrics answer, a file or directory going away. Whatever
 * does give an event (a socket message, a document update, a session's pending count, an
 * acknowledgement) is awaited with that event instead (`waitFor` in testServer.ts), and an
 * absence is proven with a sentinel (something sent later that arrives first), never by waiting
 * for a while.
 */

export interface PollOptions {
  /** What is awaited, for the timeout's message. */
  label?: string;
  /** Default 10 s. */
  timeoutMs?: number;
  /** Between two looks; default 50 ms. */
  intervalMs?: number;
  /** Extra words for the timeout's message (the state of the world when it gave up). */
  explain?: () => string | Promise<string>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 50;

/**
 * Calls `get` until `ok` holds for its value, and returns that value. Throws once `timeoutMs`
 * has passed, with the label, the last value seen and `explain()`. A number for `options` is
 * the timeout.
 */
export async function poll<T>(get: () => T | Promise<T>, ok: (value: T) => boolean, options: PollOptions | number = {}): Promise<T> {
  const opts: PollOptions = typeof options === 'number' ? { timeoutMs: options } : options;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) {
      const extra = opts.explain ? await explainSafely(opts.explain) : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.label ?? 'a condition'}; last value: ${shown(value)}${extra}`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? DEFAULT_INTERVAL_MS));
  }
}

/** Polls `check` until it answers true (see `poll`). */
export async function until(check: () => boolean | Promise<boolean>, label: string, options: Omit<PollOptions, 'label'> | number = {}): Promise<void> {
  const opts = typeof options === 'number' ? { timeoutMs: options } : options;
  await poll(check, (v) => v, { ...opts, label });
}

function shown(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return String(value);
  }
}

async function explainSafely(explain: () => string | Promise<string>): Promise<string> {
  try {
    const text = await explain();
    return text ? `\n${text}` : '';
  } catch (err) {
    return `\n(explain failed: ${String(err)})`;
  }
}

/**
 * The pace of a load generator (the cluster tests' writers: one entry, then the next a moment
 * later, like people typing). Load shaping only: never a way to let something happen or to
 * show that it did not.
 */
export function pace(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `promise`, or a rejection with `message` (computed then, when a function) once `ms` have
 * passed: a deadline on a wait for an event, so a test fails with a clear message instead of
 * running into jest's timeout.
 */
export async function within<T>(promise: Promise<T>, ms: number, message: string | (() => string)): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(typeof message === 'function' ? message() : message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
