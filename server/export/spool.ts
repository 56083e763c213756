import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Sink } from './sink';

/**
 * Text parked on disk while a first pass gathers what must be printed before it (the picture,
 * the count, the integrity verdict), then read back in order. Keeps memory flat whatever the
 * incident's size; the file is private (0600) and removed after.
 */
export class Spool {
  private constructor(
    private readonly dir: string,
    readonly file: string,
    private readonly sink: Sink,
  ) {}

  static create(): Spool {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-export-'));
    const file = path.join(dir, 'spool');
    return new Spool(dir, file, new Sink(fs.createWriteStream(file, { mode: 0o600 })));
  }

  add(text: string): Promise<void> | undefined {
    return this.sink.write(text);
  }

  async close(): Promise<void> {
    await this.sink.end();
  }

  /** The spooled text, line by line. */
  lines(): AsyncIterable<string> {
    return readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
  }

  /** Copies the spooled text as it is into `sink`, chunk by chunk. */
  async copyTo(sink: Sink): Promise<void> {
    await sink.flush();
    for await (const chunk of fs.createReadStream(this.file, { encoding: 'utf8', highWaterMark: 256 * 1024 })) await sink.write(chunk as string);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
