import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { TimelineEvent } from '../../shared/timeline/events';
import { Sink } from './sink';

/**
 * Events parked on disk (one JSON line each) while a first pass gathers what must be printed
 * before them (the picture, the count, the integrity verdict), then read back in order. Keeps
 * memory flat whatever the incident's size; the file is private (0600) and removed after.
 */
export class EventSpool {
  private constructor(
    private readonly dir: string,
    private readonly file: string,
    private readonly sink: Sink,
  ) {}

  static create(): EventSpool {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-export-'));
    const file = path.join(dir, 'events.ndjson');
    return new EventSpool(dir, file, new Sink(fs.createWriteStream(file, { mode: 0o600 })));
  }

  add(events: TimelineEvent[]): Promise<void> | undefined {
    let text = '';
    for (const e of events) text += JSON.stringify(e) + '\n';
    return this.sink.write(text);
  }

  async close(): Promise<void> {
    await this.sink.end();
  }

  /** The events back, in the order they were added, in batches. */
  async *read(batchSize = 500): AsyncGenerator<TimelineEvent[]> {
    const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Infinity });
    let batch: TimelineEvent[] = [];
    for await (const line of lines) {
      if (!line) continue;
      // Our own output of a moment ago: already validated when it was produced.
      batch.push(JSON.parse(line) as TimelineEvent);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
