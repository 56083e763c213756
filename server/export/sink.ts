import type { Writable } from 'node:stream';

/**
 * Text to a stream with back-pressure: small writes are gathered into chunks of ~64 KB, and a
 * full stream (a slow HTTP client) makes the writer wait instead of filling memory.
 */
export class Sink {
  private parts: string[] = [];
  private size = 0;
  private failed: Error | null = null;
  bytes = 0;

  constructor(
    private readonly out: Writable,
    private readonly chunkChars = 64 * 1024,
  ) {
    out.on('error', (err) => {
      this.failed = err;
    });
  }

  /** Queues `text`; when a chunk is full, resolves once the stream can take more. */
  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= this.chunkChars ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const buf = Buffer.from(chunk, 'utf8');
    this.bytes += buf.byteLength;
    if (this.out.destroyed) throw new Error('output closed');
    if (!this.out.write(buf)) await drained(this.out);
  }

  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}

/** Resolves on 'drain', rejects if the stream closes first; leaves no listener behind either way. */
export function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new Error('output closed'));
    };
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}
