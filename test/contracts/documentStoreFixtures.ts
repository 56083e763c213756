import type { JournalRecord, NewRecord } from '../../server/storage/documentStore';
import type { IncidentMeta } from '../../shared/model/incident';
import { newId } from '../../shared/model/ids';
import { docName, type DocName, type DocPart } from '../../shared/model/parts';

/** Records, incidents and assertions for the DocumentStore contract (documentStore.contract.ts). */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function freshDoc(part: DocPart = 'log'): DocName {
  return docName(newId(), part);
}

export function bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

export function text(b: Uint8Array): string {
  return decoder.decode(b);
}

/** A record whose bytes spell `tag`, so tests can tell records apart. */
export function rec(tag: string): NewRecord {
  return { author: `author-${tag}`, at: new Date(), update: bytes(tag) };
}

export function meta(overrides: Partial<IncidentMeta> = {}): IncidentMeta {
  return { id: newId(), title: 'Afflux massif de victimes', status: 'open', severity: 'high', detectedAt: null, openedAt: new Date().toISOString(), closedAt: null, ...overrides };
}

export function seqs(records: JournalRecord[]): number[] {
  return records.map((r) => r.seq);
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Every batch got consecutive seqs, and together they are exactly 1..n. */
export function expectExactlyOneToN(batches: JournalRecord[][], n: number): void {
  for (const batch of batches) {
    const s = seqs(batch);
    expect(s).toEqual(s.map((_, i) => s[0]! + i));
  }
  expect(batches.flatMap(seqs).sort((x, y) => x - y)).toEqual(range(n));
}

/**
 * Like `expect(p).rejects.toThrow(pattern)`, but also for errors made in another realm: once a
 * jest worker has loaded better-sqlite3 for one test file, its SqliteError class stays the one
 * of that file's sandbox, so `instanceof Error` fails in the next file and toThrow says "did
 * not throw" although the promise rejected.
 */
export async function expectRejected(promise: Promise<unknown>, pattern?: RegExp): Promise<void> {
  const outcome = await promise.then(
    () => ({ rejected: false as const }),
    (err: unknown) => ({ rejected: true as const, message: String((err as { message?: unknown } | null)?.message ?? err) }),
  );
  expect(outcome.rejected).toBe(true);
  if (outcome.rejected && pattern) expect(outcome.message).toMatch(pattern);
}

export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  const same = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength));
  expect(same).toBe(true);
}

/** A promise opened from outside. */
export function opened(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
