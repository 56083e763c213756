import type { Writable } from 'node:stream';
import type { ExportInput } from '../exportInput';
import { Sink } from '../sink';
import { escapeJsonControls } from '../neutralise';

/**
 * The JSON export (schema: TimelineExportSchema in shared/timeline/exportDocument.ts), written
 * as a stream: header fields, then `events` one per line, then `eventCount` and `integrity`.
 * The data is kept exactly; controls and bidirectional overrides are written as \u escapes.
 */
export async function writeJson(input: ExportInput, out: Writable): Promise<void> {
  const sink = new Sink(out);
  const header = escapeJsonControls(JSON.stringify(input.header));
  await sink.write(`${header.slice(0, -1)},"events":[`);
  let first = true;
  for await (const batch of input.events) {
    let text = '';
    for (const e of batch) {
      text += (first ? '\n' : ',\n') + escapeJsonControls(JSON.stringify(e));
      first = false;
    }
    await sink.write(text);
  }
  const trailer = escapeJsonControls(JSON.stringify(input.trailer()));
  await sink.write(`\n],${trailer.slice(1)}\n`);
  await sink.end();
}
