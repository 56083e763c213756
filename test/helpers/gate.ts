/**
 * A gate a test closes and opens: the code behind it waits while it is closed, so "in flight" is
 * an event the test controls, never a duration.
 */
export class Gate {
  private closed: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.closed = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.closed = null;
    this.open?.();
  }

  /** While closed, what resolves on release; null while open (nothing to await: no extra turn). */
  get held(): Promise<void> | null {
    return this.closed;
  }
}
