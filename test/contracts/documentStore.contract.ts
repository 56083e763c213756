import { randomBytes } from 'node:crypto';
import type { DocumentStore, JournalRecord, NewRecord, StoredCheckpoint } from '../../server/storage/documentStore';
import { GENESIS_HASH, recordHash } from '../../server/storage/chain';
import type { IncidentMeta } from '../../shared/model/incident';
import { newId } from '../../shared/model/ids';
import { docName, type DocName } from '../../shared/model/parts';
import { bytes, expectExactlyOneToN, expectRejected, expectSameBytes, freshDoc, meta, opened, range, rec, seqs, text } from './documentStoreFixtures';

export interface DocumentStoreContractOptions {
  /**
   * Runs one SQL statement against the same database through a connection of its own,
   * bypassing the store: proves the journal is append-only in the database itself. The SQL
   * used is valid in both SQLite and PostgreSQL. Without it, that test is left out.
   */
  rawExec?: (sql: string) => Promise<void>;
  /** Whether several instances of the store may write one database at once (PostgreSQL: yes; SQLite: one process). */
  concurrentInstances?: boolean;
  /**
   * With concurrentInstances: resolves once some instance waits for `doc`'s lock (PostgreSQL: an
   * advisory lock not granted yet, in pg_locks), and rejects if none does. The lock test then sees
   * the other instance blocked, rather than waiting a while and hoping it asked in the meantime.
   */
  lockWaiter?: (doc: DocName) => Promise<void>;
}

/**
 * Refusals are asserted with `rejects.toHaveProperty('message')`, not `rejects.toThrow()`:
 * better-sqlite3's native addon is loaded once per Jest worker, so its errors belong to the
 * realm of the first test file that loaded it and fail `instanceof Error` in the next ones.
 *
 * What every DocumentStore must do, whatever the database. `open` is called once for the suite
 * (and again for the concurrency test); each test works on documents of its own.
 */
export function describeDocumentStoreContract(name: string, open: () => Promise<DocumentStore>, options: DocumentStoreContractOptions = {}): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;

    beforeAll(async () => {
      store = await open();
    });

    afterAll(async () => {
      await store?.close();
    });

    it('numbers appends from 1, gap-free, per document', async () => {
      const a = freshDoc();
      const b = freshDoc();
      expect(seqs(await store.append(a, [rec('a1'), rec('a2')]))).toEqual([1, 2]);
      expect(seqs(await store.append(b, [rec('b1'), rec('b2'), rec('b3')]))).toEqual([1, 2, 3]);
      const third = await store.append(a, [rec('a3')]);
      expect(seqs(third)).toEqual([3]);
      expect(third[0]).toMatchObject({ doc: a, seq: 3, author: 'author-a3' });
      expect(text(third[0]!.update)).toBe('a3');
      expect(await store.append(a, [])).toEqual([]);
      expect(seqs(await store.readJournal(a, 0))).toEqual([1, 2, 3]);
    });

    it('keeps seqs gap-free when one instance gets concurrent appends', async () => {
      const doc = freshDoc();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append(doc, [rec(`c${i}`), rec(`d${i}`)])));
      expectExactlyOneToN(results, 40);
      expect(await store.headSeq(doc)).toBe(40);
    });

    it('commits a batch entirely or not at all', async () => {
      const doc = freshDoc();
      await store.append(doc, [rec('kept')]);
      // A record the database refuses (NOT NULL) in the middle of the batch.
      const broken = { ...rec('bad'), author: null } as unknown as NewRecord;
      await expectRejected(store.append(doc, [rec('lost-1'), broken, rec('lost-2')]));
      expect(await store.headSeq(doc)).toBe(1);
      expect((await store.readJournal(doc, 0)).map((r) => text(r.update))).toEqual(['kept']);
      // And numbering goes on without a hole.
      expect(seqs(await store.append(doc, [rec('next')]))).toEqual([2]);
    });

    it('loads the latest snapshot and only the journal after it', async () => {
      const doc = freshDoc();
      expect(await store.load(doc)).toEqual({ snapshot: null, records: [] });
      await store.append(doc, [rec('1'), rec('2'), rec('3')]);
      const noSnapshot = await store.load(doc);
      expect(noSnapshot.snapshot).toBeNull();
      expect(seqs(noSnapshot.records)).toEqual([1, 2, 3]);
      await store.append(doc, [rec('4'), rec('5')]);
      await store.saveSnapshot(doc, { seq: 3, update: bytes('snap-3'), stateVector: bytes('sv-3') });
      const loaded = await store.load(doc);
      expect(loaded.snapshot?.seq).toBe(3);
      expect(text(loaded.snapshot!.update)).toBe('snap-3');
      expect(text(loaded.snapshot!.stateVector)).toBe('sv-3');
      expect(seqs(loaded.records)).toEqual([4, 5]);
      expect(loaded.records.map((r) => text(r.update))).toEqual(['4', '5']);
    });

    it('reads the journal after a seq, in order, up to a limit', async () => {
      const doc = freshDoc();
      await store.append(doc, [rec('1'), rec('2'), rec('3'), rec('4'), rec('5')]);
      expect(seqs(await store.readJournal(doc, 0))).toEqual([1, 2, 3, 4, 5]);
      expect(seqs(await store.readJournal(doc, 2))).toEqual([3, 4, 5]);
      expect(seqs(await store.readJournal(doc, 2, 2))).toEqual([3, 4]);
      expect(seqs(await store.readJournal(doc, 0, 1))).toEqual([1]);
      expect(await store.readJournal(doc, 5)).toEqual([]);
      expect(await store.readJournal(freshDoc(), 0)).toEqual([]);
    });

    it('reports the head seq, 0 for a document never written', async () => {
      const doc = freshDoc();
      expect(await store.headSeq(doc)).toBe(0);
      await store.append(doc, [rec('1'), rec('2')]);
      expect(await store.headSeq(doc)).toBe(2);
      await store.append(doc, [rec('3')]);
      expect(await store.headSeq(doc)).toBe(3);
    });

    it('keeps a snapshot of several megabytes byte for byte (a 100,000-entry log is about 40 MB)', async () => {
      const doc = freshDoc();
      await store.append(doc, [rec('1'), rec('2'), rec('3')]);
      const update = new Uint8Array(randomBytes(2_500_000));
      await store.saveSnapshot(doc, { seq: 2, update, stateVector: bytes('sv-2') });
      const loaded = await store.load(doc);
      expect(loaded.snapshot?.seq).toBe(2);
      expectSameBytes(loaded.snapshot!.update, update);
      expect(text(loaded.snapshot!.stateVector)).toBe('sv-2');
      expect(seqs(loaded.records)).toEqual([3]);
      // The next one replaces it whole, a smaller one included.
      await store.saveSnapshot(doc, { seq: 3, update: bytes('snap-3'), stateVector: bytes('sv-3') });
      expect(text((await store.load(doc)).snapshot!.update)).toBe('snap-3');
    });

    it('keeps the newest snapshot whatever the order they are saved in', async () => {
      const doc = freshDoc();
      await store.append(doc, Array.from({ length: 7 }, (_, i) => rec(`${i + 1}`)));
      await store.saveSnapshot(doc, { seq: 5, update: bytes('snap-5'), stateVector: bytes('sv-5') });
      await store.saveSnapshot(doc, { seq: 3, update: bytes('snap-3'), stateVector: bytes('sv-3') });
      let loaded = await store.load(doc);
      expect(loaded.snapshot?.seq).toBe(5);
      expect(text(loaded.snapshot!.update)).toBe('snap-5');
      expect(seqs(loaded.records)).toEqual([6, 7]);
      await store.saveSnapshot(doc, { seq: 7, update: bytes('snap-7'), stateVector: bytes('sv-7') });
      loaded = await store.load(doc);
      expect(loaded.snapshot?.seq).toBe(7);
      expect(text(loaded.snapshot!.stateVector)).toBe('sv-7');
      expect(loaded.records).toEqual([]);
      // The journal itself is never trimmed by a snapshot.
      expect(seqs(await store.readJournal(doc, 0))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });

    it('returns bytes, authors and times exactly as written', async () => {
      const doc = freshDoc();
      const allByteValues = Uint8Array.from({ length: 256 }, (_, i) => i);
      const large = new Uint8Array(randomBytes(256 * 1024));
      // A view into a bigger buffer: only the viewed bytes may be stored.
      const backing = randomBytes(64);
      const sliced = new Uint8Array(backing.buffer, backing.byteOffset + 8, 16);
      const written: NewRecord[] = [
        { author: 'Dr. Émilie Noël — cellule de crise 🏥', at: new Date(1_700_000_000_123), update: allByteValues },
        { author: "o'brien; DROP TABLE journal", at: new Date('2024-02-29T23:59:59.999Z'), update: large },
        { author: 'empty', at: new Date(0), update: new Uint8Array(0) },
        { author: 'view', at: new Date(1_234_567_890_001), update: sliced },
      ];
      await store.append(doc, written);
      const read = await store.readJournal(doc, 0);
      expect(read).toHaveLength(written.length);
      read.forEach((r, i) => {
        const w = written[i]!;
        expect(r.doc).toBe(doc);
        expect(r.author).toBe(w.author);
        expect(r.at).toBeInstanceOf(Date);
        expect(r.at.getTime()).toBe(w.at.getTime());
        expect(r.update).toBeInstanceOf(Uint8Array);
        expectSameBytes(r.update, w.update);
      });
      const sv = new Uint8Array(randomBytes(300));
      await store.saveSnapshot(doc, { seq: 4, update: large, stateVector: sv });
      const { snapshot } = await store.load(doc);
      expectSameBytes(snapshot!.update, large);
      expectSameBytes(snapshot!.stateVector, sv);
    });

    it('registers incidents, lists them newest first, and updates their summary', async () => {
      const older = meta({ openedAt: '2021-03-01T08:00:00.000Z', title: 'Panne électrique' });
      const newer = meta({ openedAt: '2021-03-02T08:00:00.000Z', title: 'Cyberattaque', detectedAt: '2021-03-02T07:30:00.000Z' });
      await store.createIncident(older, { doc: docName(older.id, 'meta'), ...rec('meta-older') });
      await store.createIncident(newer, { doc: docName(newer.id, 'meta'), ...rec('meta-newer') });

      expect(await store.getIncident(newer.id)).toEqual(newer);
      expect(await store.getIncident(newId())).toBeNull();
      const ours = (await store.listIncidents()).filter((m) => m.id === older.id || m.id === newer.id);
      expect(ours).toEqual([newer, older]);

      const journaled = await store.readJournal(docName(older.id, 'meta'), 0);
      expect(seqs(journaled)).toEqual([1]);
      expect(text(journaled[0]!.update)).toBe('meta-older');

      const closed: IncidentMeta = { ...older, title: 'Panne électrique (résolue)', status: 'closed', closedAt: '2021-03-01T12:00:00.000Z' };
      await store.updateIncidentSummary(closed);
      expect(await store.getIncident(older.id)).toEqual(closed);
    });

    it('creates an incident atomically: registry row and first record, or neither', async () => {
      const taken = meta();
      await store.createIncident(taken, { doc: docName(taken.id, 'meta'), ...rec('first') });
      // Same id again: refused, and its first record must not have been journaled.
      const otherDoc = freshDoc('meta');
      await expectRejected(store.createIncident({ ...taken, title: 'doublon' }, { doc: otherDoc, ...rec('dup') }));
      expect(await store.headSeq(otherDoc)).toBe(0);
      expect((await store.getIncident(taken.id))?.title).toBe(taken.title);

      // A first record the journal refuses: the registry row must not stay behind.
      const orphan = meta();
      const broken = { doc: docName(orphan.id, 'meta'), ...rec('x'), author: null } as unknown as { doc: DocName } & NewRecord;
      await expectRejected(store.createIncident(orphan, broken));
      expect(await store.getIncident(orphan.id)).toBeNull();
      expect((await store.listIncidents()).some((m) => m.id === orphan.id)).toBe(false);
      expect(await store.headSeq(docName(orphan.id, 'meta'))).toBe(0);
    });

    it('chains every record to the previous one of its document, in the same transaction', async () => {
      const doc = freshDoc();
      const other = freshDoc();
      const first = await store.append(doc, [rec('1'), rec('2')]);
      await store.append(other, [rec('x')]);
      // Names and times the hash's length prefixes and big-endian fields must get right.
      const second = await store.append(doc, [rec('3'), { ...rec('4'), author: 'Élodie Le Goff 医生', at: new Date('1969-12-31T23:59:59.999Z') }]);
      const read = await store.readJournal(doc, 0);
      // What append returned is what the journal holds.
      expect(read.map((r) => [r.seq, r.hash, r.prevHash])).toEqual([...first, ...second].map((r) => [r.seq, r.hash, r.prevHash]));
      let prev = GENESIS_HASH;
      for (const r of read) {
        expect(r.prevHash).toBe(prev);
        expect(r.hash).toBe(recordHash(r, prev));
        prev = r.hash;
      }
      // Each document has a chain of its own.
      const [x] = await store.readJournal(other, 0);
      expect(x!.prevHash).toBe(GENESIS_HASH);
      expect(await store.journalHead(doc)).toEqual({ doc, seq: 4, hash: read[3]!.hash });
      expect(await store.journalHead(freshDoc())).toMatchObject({ seq: 0, hash: GENESIS_HASH });
      const heads = await store.journalHeads();
      expect(heads.find((h) => h.doc === doc)).toEqual({ doc, seq: 4, hash: read[3]!.hash });
      expect(heads.find((h) => h.doc === other)).toEqual({ doc: other, seq: 1, hash: x!.hash });
    });

    it('keeps the chain and the head unchanged when a batch fails', async () => {
      const doc = freshDoc();
      const [kept] = await store.append(doc, [rec('kept')]);
      const broken = { ...rec('bad'), author: null } as unknown as NewRecord;
      await expectRejected(store.append(doc, [rec('lost'), broken]));
      expect(await store.journalHead(doc)).toEqual({ doc, seq: 1, hash: kept!.hash });
      const [next] = await store.append(doc, [rec('next')]);
      expect(next!.prevHash).toBe(kept!.hash);
    });

    it('stores checkpoints and lists them per document, oldest first', async () => {
      const doc = freshDoc();
      const other = freshDoc();
      const cp = (d: typeof doc, seq: number, ms: number): StoredCheckpoint => ({
        doc: d,
        seq,
        head: randomBytes(32).toString('hex'),
        signedAt: new Date(ms),
        keyId: '0123456789abcdef',
        publicKey: randomBytes(32).toString('base64'),
        signature: randomBytes(64).toString('base64'),
      });
      const later = cp(doc, 9, 1_700_000_002_000);
      const earlier = cp(doc, 4, 1_700_000_001_000);
      const elsewhere = cp(other, 1, 1_700_000_001_500);
      await store.saveCheckpoint(later);
      await store.saveCheckpoint(earlier);
      await store.saveCheckpoint(elsewhere);
      expect(await store.listCheckpoints(doc)).toEqual([earlier, later]);
      const all = (await store.listCheckpoints()).filter((c) => c.doc === doc || c.doc === other);
      expect(all).toEqual([earlier, elsewhere, later]);
    });

    // Capabilities, not services: a test that cannot apply to this store is not registered at all.
    const { rawExec } = options;
    if (rawExec) it('refuses UPDATE and DELETE of journal rows at the database level', async () => {
      const doc = freshDoc();
      await store.append(doc, [rec('1'), rec('2')]);
      await expectRejected(rawExec(`UPDATE journal SET author = 'mallory' WHERE doc = '${doc}'`), /append-only/);
      await expectRejected(rawExec(`DELETE FROM journal WHERE doc = '${doc}'`), /append-only/);
      await expectRejected(rawExec(`DELETE FROM journal`), /append-only/);
      const after = await store.readJournal(doc, 0);
      expect(after.map((r) => r.author)).toEqual(['author-1', 'author-2']);
    });

    if (rawExec) it('refuses UPDATE and DELETE of checkpoints at the database level', async () => {
      const doc = freshDoc();
      await store.saveCheckpoint({ doc, seq: 1, head: GENESIS_HASH, signedAt: new Date(), keyId: 'k', publicKey: 'AA==', signature: 'AA==' });
      await expectRejected(rawExec(`UPDATE checkpoints SET seq = 2 WHERE doc = '${doc}'`), /append-only/);
      await expectRejected(rawExec(`DELETE FROM checkpoints WHERE doc = '${doc}'`), /append-only/);
      expect((await store.listCheckpoints(doc)).map((c) => c.seq)).toEqual([1]);
    });

    it('runs the holders of a document lock one at a time, in order, and leaves other documents free', async () => {
      const doc = freshDoc();
      const events: string[] = [];
      const gate = opened();
      const firstIn = opened();
      const first = store.lockDocument(doc, async () => {
        events.push('first in');
        firstIn.open();
        await gate.promise;
        events.push('first out');
        return 1;
      });
      const second = store.lockDocument(doc, async () => {
        events.push('second in');
        return 2;
      });
      await firstIn.promise;
      await store.lockDocument(freshDoc(), async () => events.push('other document'));
      expect(events).toEqual(['first in', 'other document']);
      gate.open();
      expect(await Promise.all([first, second])).toEqual([1, 2]);
      expect(events).toEqual(['first in', 'other document', 'first out', 'second in']);
      // A holder that fails still lets the next one in.
      await expect(store.lockDocument(doc, async () => Promise.reject(new Error('échec du détenteur')))).rejects.toHaveProperty('message', 'échec du détenteur');
      expect(await store.lockDocument(doc, async () => 3)).toBe(3);
    });

    const { lockWaiter } = options;
    if (options.concurrentInstances && lockWaiter) it('holds a document lock against other instances until the holder is done', async () => {
      const other = await open();
      try {
        const doc = freshDoc();
        const gate = opened();
        const held = opened();
        const events: string[] = [];
        const first = store.lockDocument(doc, async () => {
          held.open();
          await gate.promise;
          events.push('first done');
        });
        await held.promise;
        const second = other.lockDocument(doc, async () => events.push('other instance in'));
        try {
          // Had the first holder not excluded it, the other instance would have got the lock, not waited for it.
          await lockWaiter(doc);
          expect(events).toEqual([]);
        } finally {
          // Released whatever happened, so a failure fails the test instead of leaving the lock held.
          gate.open();
        }
        await Promise.all([first, second]);
        expect(events).toEqual(['first done', 'other instance in']);
      } finally {
        await other.close();
      }
    });

    if (options.concurrentInstances) it('keeps seqs gap-free and unique when several instances append to one document at once', async () => {
      const other = await open();
      try {
        const doc = freshDoc();
        const appends: Array<Promise<JournalRecord[]>> = [];
        let total = 0;
        for (let i = 0; i < 30; i++) {
          const size = (i % 3) + 1;
          const batch = Array.from({ length: size }, (_, j) => rec(`n${i}-${j}`));
          total += size;
          appends.push((i % 2 === 0 ? store : other).append(doc, batch));
        }
        const results = await Promise.all(appends);
        expectExactlyOneToN(results, total);
        // What each append was told is what the journal holds.
        const told = new Map(results.flat().map((r) => [r.seq, text(r.update)]));
        const journal = await other.readJournal(doc, 0);
        expect(seqs(journal)).toEqual(range(total));
        for (const r of journal) expect(text(r.update)).toBe(told.get(r.seq));
        expect(await store.headSeq(doc)).toBe(total);
      } finally {
        await other.close();
      }
    });

    it('closes idempotently', async () => {
      const extra = await open();
      await extra.close();
      await expect(extra.close()).resolves.toBeUndefined();
    });
  });
}
