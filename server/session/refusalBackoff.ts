const FIRST_PAUSE_MS = 2_000;
const MAX_PAUSE_MS = 60_000;

/** The part of a connection that can stop reading (a websocket's `pause()`/`resume()`). */
export interface PausableReads {
  /** False when the connection cannot stop reading. */
  pauseReads(): boolean;
  resumeReads(): void;
}

/**
 * A connection that keeps sending updates its budget refuses (QUOTA_EXCEEDED) is read more
 * slowly. Refusing costs little per message, but receiving does not: a member pushing 2 MB
 * updates at full speed makes the server read and unpack tens of megabytes a second before any
 * check, and colleagues' acks wait behind that. From the second refusal in a row the server
 * stops reading the socket for a while (2 s, doubling up to 60 s): TCP backpressure then holds
 * the sender's next messages in its own buffers. An accepted update ends the streak. Writing to
 * the socket (acks, broadcasts) is not paused.
 */
export class RefusalBackoff {
  private streak = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly reads: PausableReads) {}

  accepted(): void {
    this.streak = 0;
  }

  refused(): void {
    this.streak += 1;
    if (this.streak < 2 || this.timer) return;
    if (!this.reads.pauseReads()) return;
    const ms = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.streak - 2));
    this.timer = setTimeout(() => this.resume(), ms);
    this.timer.unref?.();
  }

  /**
   * The connection is ending: read again at once, or the websocket's closing handshake (the
   * peer's close frame) would wait behind the pause until ws gives up after 30 s.
   */
  close(): void {
    this.resume();
  }

  private resume(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.reads.resumeReads();
  }
}
