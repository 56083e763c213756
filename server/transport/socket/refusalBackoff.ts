import type { Socket } from 'socket.io';

const FIRST_PAUSE_MS = 2_000;
const MAX_PAUSE_MS = 60_000;

/** The part of a websocket that can stop reading (ws' `pause()`/`resume()`). */
interface PausableStream {
  pause(): void;
  resume(): void;
}

/** The connection's websocket, if its transport has one that can stop reading. */
function streamOf(socket: Socket): PausableStream | null {
  const transport: unknown = socket.conn.transport;
  const ws = (transport as { socket?: unknown } | null)?.socket;
  if (ws && typeof (ws as PausableStream).pause === 'function' && typeof (ws as PausableStream).resume === 'function') return ws as PausableStream;
  return null;
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
  private paused: PausableStream | null = null;

  constructor(private readonly socket: Socket) {}

  accepted(): void {
    this.streak = 0;
  }

  refused(): void {
    this.streak += 1;
    if (this.streak < 2 || this.timer) return;
    const stream = streamOf(this.socket);
    if (!stream) return;
    const ms = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.streak - 2));
    stream.pause();
    this.paused = stream;
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.paused?.resume();
    this.paused = null;
  }
}
