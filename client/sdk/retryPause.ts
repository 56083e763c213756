const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 10_000;

/** Answers that say "not now" rather than "never": the update is sent again after a pause. */
export const RETRYABLE: ReadonlySet<string> = new Set(['STORAGE_UNAVAILABLE', 'RATE_LIMITED']);

/**
 * The pause after a "not now" answer: 1 s, doubling up to 10 s while the answers keep coming,
 * back to 1 s after an update is accepted. One pause at a time: a new one replaces the last.
 */
export class RetryPause {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private count = 0;

  /** Whether a pause is running. */
  get active(): boolean {
    return this.timer !== null;
  }

  /** Starts a pause; `resume` runs at its end. */
  start(resume: () => void): void {
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.count++);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      resume();
    }, delay);
  }

  /** An update was accepted: the next pause is short again. */
  reset(): void {
    this.count = 0;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
