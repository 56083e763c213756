import * as Y from 'yjs';
import { MERGED_RECORDS_MAX, batchDeliveries } from '../../server/documents/batchDelivery';
import type { JournalRecord } from '../../server/storage/documentStore';
import type { DocName } from '../../shared/model/parts';

/** A group commit's batch as the other sockets receive it (server/documents/batchDelivery.ts). */

/** `count` records as a room journals them: the effective update of each of three writers' appends, in turn. */
function records(count: number): JournalRecord[] {
  const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  return Array.from({ length: count }, (_, i) => {
    const w = writers[i % writers.length]!;
    const before = Y.encodeStateVector(w);
    w.getArray<string>('entries').push([`entry ${i}`]);
    return { doc: 'x:log' as DocName, seq: i + 1, at: new Date(0), author: `writer ${i % 3}`, update: Y.encodeStateAsUpdate(w, before), hash: '', prevHash: '' };
  });
}

function applied(updates: Uint8Array[]): string[] {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getArray<string>('entries').toArray().sort();
}

test('one record goes out as it is, without its writer', () => {
  const [r] = records(1);
  expect(batchDeliveries([r!], () => 'socket-a')).toEqual([[r!.update, 1, 'socket-a']]);
});

test(`a batch goes out as merged updates of at most ${MERGED_RECORDS_MAX} records, each under its last seq, to every socket`, () => {
  const batch = records(2 * MERGED_RECORDS_MAX + 6);
  const out = batchDeliveries(batch, (i) => `socket-${i}`);
  expect(out.map(([, seq, writer]) => [seq, writer])).toEqual([
    [MERGED_RECORDS_MAX, null],
    [2 * MERGED_RECORDS_MAX, null],
    [2 * MERGED_RECORDS_MAX + 6, null],
  ]);
  expect(applied(out.map(([u]) => u))).toEqual(applied(batch.map((r) => r.update)));
  expect(applied([out[0]![0]])).toHaveLength(MERGED_RECORDS_MAX);
});

test('a last chunk of one record keeps its own writer', () => {
  const batch = records(MERGED_RECORDS_MAX + 1);
  const out = batchDeliveries(batch, (i) => `socket-${i}`);
  expect(out.map(([, seq, writer]) => [seq, writer])).toEqual([
    [MERGED_RECORDS_MAX, null],
    [MERGED_RECORDS_MAX + 1, `socket-${MERGED_RECORDS_MAX}`],
  ]);
  expect(out[1]![0]).toBe(batch[MERGED_RECORDS_MAX]!.update);
});
