import * as Y from 'yjs';
import { LogDoc, buildLogEntry } from '../../../shared/docs/logDoc';
import type { LogCategory, LogEntry } from '../../../shared/model/log';
import { logIndexOf, logViewOf, parseLogAhead } from '../../../server/parts/log/logIndex';
import { LOG_PAGE_MAX } from '../../../shared/protocol/logPage';
import { writeInTheSameMillisecond } from '../../helpers/sameMillisecondWriters';

/** The open alerts as the definition reads, walking the whole log: what the index must always answer. */
function reference(log: LogDoc): string[] {
  const entries = log.entries();
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rootOf = (e: LogEntry) => {
    let current = e;
    const seen = new Set<string>();
    while (current.amends && !seen.has(current.id) && byId.has(current.amends)) {
      seen.add(current.id);
      current = byId.get(current.amends)!;
    }
    return current;
  };
  const latest = new Map<string, LogEntry>();
  for (const e of entries) {
    const root = rootOf(e);
    const known = latest.get(root.id);
    if (!known || e.recordedAt >= known.recordedAt) latest.set(root.id, e);
  }
  const position = new Map(entries.map((e, i) => [e.id, i]));
  return [...latest]
    .filter(([rootId, e]) => e.category === 'alert' && log.currentVerification(e) !== 'refuted' && log.currentVerification(byId.get(rootId)!) !== 'refuted')
    .sort(([ra, a], [rb, b]) => a.recordedAt.localeCompare(b.recordedAt) || position.get(ra)! - position.get(rb)!)
    .map(([, e]) => e.id);
}

const at = (s: number) => new Date(Date.UTC(2023, 5, 12, 8, 0, s));
function entry(text: string, category: LogCategory, s: number, amends: string | null = null): LogEntry {
  return { ...buildLogEntry({ text, category }, 'Alice', at(s)), amends };
}

describe('the log index', () => {
  test('follows alerts opened, amended, lifted, refuted and withdrawn, as a walk of the whole log would', () => {
    const doc = new Y.Doc();
    const log = new LogDoc(doc);
    const index = logIndexOf(doc);
    const ids = () => index.openAlerts().map((a) => a.entry.id);
    expect(ids()).toEqual([]);

    const a = log.append(entry('PACS chiffré', 'alert', 1));
    const info = log.append(entry('Standard saturé', 'information', 2));
    const b = log.append(entry('Connexions sortantes', 'alert', 3));
    expect(ids()).toEqual([a.id, b.id]);
    expect(index.get(info.id)).toEqual(info);

    // Amended as an alert: the chain's latest version stands for it; lifted: closed.
    const a2 = log.append(entry('PACS chiffré, trois serveurs', 'alert', 4, a.id));
    expect(ids()).toEqual([b.id, a2.id]);
    log.append(entry('Connexions sortantes : faux positif', 'information', 5, b.id));
    expect(ids()).toEqual([a2.id]);
    // An information amended into an alert opens one.
    const infoAlert = log.append(entry('Standard saturé : appels malveillants', 'alert', 6, info.id));
    expect(ids()).toEqual([a2.id, infoAlert.id]);

    // Refuting the original closes the chain, whatever its latest version says.
    log.addVerification({ entryId: a.id, state: 'refuted', at: at(7).toISOString(), by: 'Bob' });
    expect(ids()).toEqual([infoAlert.id]);
    expect(ids()).toEqual(reference(log));

    // A withdrawal deletes from the array: the index is rebuilt, not patched.
    const gone = log.append(entry('Erreur de saisie', 'alert', 8));
    expect(ids()).toContain(gone.id);
    doc.transact(() => log.array.delete(log.array.length - 1, 1));
    expect(ids()).toEqual([infoAlert.id]);
    expect(index.get(gone.id)).toBeUndefined();
    expect(ids()).toEqual(reference(log));
  });

  test('an amendment that arrives before the entry it amends joins its chain when the entry comes', () => {
    // Two writers: one raised the alert, the other lifted it (its id read on paper, say) without the entry in its
    // document; the lifting reaches this document first. (An amendment written after the entry in the array would
    // wait for it in Yjs: the order can only be so when the writer's document did not have the entry.)
    const raiser = new Y.Doc();
    const original = new LogDoc(raiser).append(entry('Rançon demandée', 'alert', 1));
    const lifter = new Y.Doc();
    const lifting = new LogDoc(lifter).append(entry('Rançon demandée : message non authentifié, levée', 'information', 2, original.id));

    const reader = new Y.Doc();
    const index = logIndexOf(reader);
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(lifter));
    expect(index.get(lifting.id)).toEqual(lifting);
    expect(index.openAlerts()).toEqual([]);
    // The original comes: its chain's latest version is the lifting, so no alert is open.
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(raiser));
    expect(index.get(original.id)).toEqual(original);
    expect(index.openAlerts()).toEqual([]);
    expect(reference(new LogDoc(reader))).toEqual([]);
  });

  test('agrees with the walk of the whole log on a random log of chains, verifications and withdrawals', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const doc = new Y.Doc();
    const log = new LogDoc(doc);
    const index = logIndexOf(doc);
    const written: LogEntry[] = [];
    const categories: LogCategory[] = ['alert', 'information', 'alert', 'action'];
    for (let i = 0; i < 600; i++) {
      const r = random();
      if (r < 0.6 || written.length === 0) {
        const amends = random() < 0.35 && written.length > 0 ? written[Math.floor(random() * written.length)]!.id : null;
        // Some versions share a millisecond: the later one written stands.
        written.push(log.append(entry(`e${i}`, categories[Math.floor(random() * categories.length)]!, Math.floor(i / 2), amends)));
      } else if (r < 0.85) {
        const target = written[Math.floor(random() * written.length)]!;
        log.addVerification({ entryId: target.id, state: random() < 0.5 ? 'refuted' : 'confirmed', at: at(i).toISOString(), by: 'Bob' });
      } else if (r < 0.9 && log.array.length > 0) {
        doc.transact(() => log.array.delete(Math.floor(random() * log.array.length), 1));
      }
      if (i % 25 === 0) expect(index.openAlerts().map((a) => a.entry.id)).toEqual(reference(log));
    }
    expect(index.openAlerts().map((a) => a.entry.id)).toEqual(reference(log));
    expect(index.openAlerts().length).toBeGreaterThan(5);
  });

  test('keeps the newest entries by time of writing as a sort of the whole log would, late and withdrawn entries included', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const doc = new Y.Doc();
    const log = new LogDoc(doc);
    const index = logIndexOf(doc);
    // Sorted by time of writing, ties in document order: the newest `n`, oldest first.
    const newest = (n: number) =>
      log
        .entries()
        .map((e, i) => ({ e, i }))
        .sort((a, b) => a.e.recordedAt.localeCompare(b.e.recordedAt) || a.i - b.i)
        .slice(-n)
        .map(({ e }) => e.id);
    expect(index.newest(10)).toEqual([]);
    for (let i = 0; i < 900; i++) {
      // Mostly in time order, some in the same second, some written offline and sent late.
      const s = random() < 0.1 ? Math.floor(random() * i) : i;
      const amends = random() < 0.1 && i > 0 ? log.entries()[Math.floor(random() * log.array.length)]?.id ?? null : null;
      log.append(entry(`e${i}`, 'information', s, amends));
      if (random() < 0.03) doc.transact(() => log.array.delete(Math.floor(random() * log.array.length), 1));
      if (i % 50 === 0) expect(index.newest(LOG_PAGE_MAX).map((e) => e.id)).toEqual(newest(LOG_PAGE_MAX));
    }
    expect(index.newest(60).map((e) => e.id)).toEqual(newest(60));
    expect(index.newest(LOG_PAGE_MAX * 2).map((e) => e.id)).toEqual(newest(LOG_PAGE_MAX));
    expect(index.size).toBe(log.array.length);
    for (const e of log.entries().slice(-50)) {
      expect(index.amendmentsOf(e.id).map((c) => c.id)).toEqual(log.entries().filter((c) => c.amends === e.id).map((c) => c.id));
    }
  });

  test('keeps entries written in the same millisecond in document order on every node, whatever order they arrived in', () => {
    const replicas = [new Y.Doc(), new Y.Doc()];
    const indexes = replicas.map((d) => logIndexOf(d));
    for (const index of indexes) index.newest(1);
    writeInTheSameMillisecond(replicas, {
      writers: 6,
      rounds: 60,
      seed: 5,
      afterRound: () => {
        const expected = new LogDoc(replicas[0]!)
          .entries()
          .map((e, i) => ({ e, i }))
          .sort((a, b) => a.e.recordedAt.localeCompare(b.e.recordedAt) || a.i - b.i)
          .slice(-LOG_PAGE_MAX)
          .map(({ e }) => e.id);
        for (const index of indexes) expect(index.newest(LOG_PAGE_MAX).map((e) => e.id)).toEqual(expected);
      },
    });
    expect(indexes[0]!.size).toBeGreaterThan(LOG_PAGE_MAX);
  });

  test('a large log is parsed ahead in slices before its index is built, and not walked again once it is', async () => {
    const writer = new LogDoc(new Y.Doc());
    for (let i = 0; i < 4_500; i++) writer.append(entry(`e${i}`, 'information', i));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc));
    const view = logViewOf(doc);
    let pauses = 0;
    await view.parseAhead(1_000, async () => {
      pauses++;
    });
    expect(pauses).toBe(4);
    await view.parseAhead(1_000, async () => {
      pauses++;
    });
    expect(pauses).toBe(4);
    // Built once, the index follows appends: nothing to parse ahead for it.
    const index = logIndexOf(doc);
    expect(index.needsRebuild).toBe(true);
    await parseLogAhead(doc);
    expect(index.size).toBe(4_500);
    expect(index.needsRebuild).toBe(false);
    await parseLogAhead(doc);
    expect(index.newest(1)[0]!.text).toBe('e4499');
  });
});
