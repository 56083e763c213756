import * as Y from 'yjs';
import type { JournalRecord } from '../storage/documentStore';

/**
 * What a committed batch sends to the room's other sockets: one record as it is, without its
 * writer; several (group commit under load) as one merged update under the last seq, writers
 * included (Yjs skips what a document has): one frame per socket instead of one per record.
 */
export function batchDelivery(records: JournalRecord[], firstWriter: string | null): [Uint8Array, number, string | null] {
  if (records.length === 1) return [records[0]!.update, records[0]!.seq, firstWriter];
  return [Y.mergeUpdates(records.map((r) => r.update)), records[records.length - 1]!.seq, null];
}
