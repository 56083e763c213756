import type { Writable } from 'node:stream';
import type { ExportInput } from '../exportInput';
import { Sink } from '../sink';

/**
 * The JSON export (schema: TimelineExportSchema in shared/timeline/exportDocument.ts), written
 * as a stream: header fields, then `events` one per line, then `eventCount` and `integrity`.
 */
export async function writeJson(input: ExportInput, out: Writable): Promise<void> {
  const sink = new Sink(out);
  const header = JSON.stringify(input.header);
  await sink.write(`${header.slice(0, -1)},"events":[`);
  let first = true;
  for await (const batch of input.events) {
    let text = '';
    for (const e of batch) {
      text += (first ? '\n' : ',\n') + JSON.stringify(e);
      first = false;
    }
    await sink.write(text);
  }
  const trailer = JSON.stringify(input.trailer());
  await sink.write(`\n],${trailer.slice(1)}\n`);
  await sink.end();
}
