import * as Y from 'yjs';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import type { LogEntry } from '../../shared/model/log';
import { LiveFilter, NO_FILTERS, type Filters, type LogIndex, filterLog, indexLog, liveIndexOf } from '../../client/web/src/components/log/logIndex';
import { writeInTheSameMillisecond } from '../helpers/sameMillisecondWriters';

/**
 * The live index of the log view (client/web/src/components/log/logIndex.ts) equals a full
 * index of the document after every kind of change: appends (local and remote, in order and
 * late, written in the same millisecond and arriving in any order), amendments, withdrawals;
 * and the live filter equals filtering the whole log.
 */

let clock = Date.parse('2026-03-01T08:00:00.000Z');
function entry(text: string, fields: Partial<{ author: string; amends: string; at: number; category: LogEntry['category']; key: boolean }> = {}): LogEntry {
  const at = fields.at ?? (clock += 1_000);
  return buildLogEntry({ text, category: fields.category ?? 'information', severity: 'medium', verification: 'confirmed', key: fields.key ?? false, tags: [], ...(fields.amends ? { amends: fields.amends } : {}) }, fields.author ?? 'Alice', new Date(at));
}

function same(live: LogIndex, doc: LogDoc): void {
  const full = indexLog(doc.entries());
  expect(live.entries.map((e) => e.id)).toEqual(full.entries.map((e) => e.id));
  expect([...live.byId.keys()].sort()).toEqual([...full.byId.keys()].sort());
  expect(new Map([...live.amendments].map(([k, v]) => [k, v.map((e) => e.id)]))).toEqual(new Map([...full.amendments].map(([k, v]) => [k, v.map((e) => e.id)])));
  expect(live.authors).toEqual(full.authors);
  expect(live.hasInjects).toBe(full.entries.some((e) => e.inject !== undefined));
}

function pair(): { a: LogDoc; b: LogDoc; sync: () => void } {
  const a = new LogDoc(new Y.Doc());
  const b = new LogDoc(new Y.Doc());
  const sync = () => {
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)), 'remote');
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)), 'remote');
  };
  return { a, b, sync };
}

describe('the live log index', () => {
  test('appends, one by one and in batches, give the index a full index gives', () => {
    const { a, b, sync } = pair();
    const live = liveIndexOf(b);
    for (let i = 0; i < 5; i++) a.append(entry(`first ${i}`));
    sync();
    same(live.current(), b);
    const before = live.current();
    expect(live.current()).toBe(before);
    b.append(entry('local one', { author: 'Zoé' }));
    const after = live.current();
    expect(after.version).toBeGreaterThan(before.version);
    same(after, b);
    a.doc.transact(() => {
      for (let i = 0; i < 20; i++) a.append(entry(`batch ${i}`, { author: i % 2 ? 'Bruno' : 'Alice' }));
    });
    sync();
    same(live.current(), b);
  });

  test('entries written in the same millisecond by several writers are listed in document order on every screen, whatever order they arrived in', () => {
    const replicas = [new LogDoc(new Y.Doc()), new LogDoc(new Y.Doc())];
    const lives = replicas.map((r) => liveIndexOf(r));
    const filters = replicas.map(() => new LiveFilter());
    // The filter keeps the entries of every second writer: a filtered view places ties too.
    const someWriters: Filters = { ...NO_FILTERS, text: 'r' };
    for (const live of lives) live.current();
    let ties = 0;
    writeInTheSameMillisecond(
      replicas.map((r) => r.doc),
      {
        writers: 6,
        rounds: 60,
        seed: 11,
        afterRound: () => {
          const ids = replicas.map((r, i) => {
            const index = lives[i]!.current();
            same(index, r);
            const verification = (e: LogEntry) => r.currentVerification(e);
            const filtered = filters[i]!.view(lives[i]!, index, { ...someWriters, author: index.authors[0]! }, verification, 0);
            expect(filtered.map((e) => e.id)).toEqual(filterLog(indexLog(r.entries()).entries, { ...someWriters, author: index.authors[0]! }, verification, false).map((e) => e.id));
            return index.entries.map((e) => e.id);
          });
          expect(ids[1]).toEqual(ids[0]);
        },
      },
    );
    // The run holds many ties (without them it would prove nothing).
    for (const r of replicas) {
      const entries = r.entries();
      for (let i = 1; i < entries.length; i++) if (entries[i]!.recordedAt === entries[i - 1]!.recordedAt) ties++;
    }
    expect(ties).toBeGreaterThan(50);
  });

  test('an entry written earlier (offline, sent late) sorts at its time, and amendments follow their original', () => {
    const { a, b, sync } = pair();
    const live = liveIndexOf(b);
    const original = entry('original');
    a.append(original);
    for (let i = 0; i < 4; i++) a.append(entry(`later ${i}`));
    sync();
    live.current();
    a.append(entry('late one', { at: Date.parse(original.recordedAt) + 10 }));
    a.append(entry('correction 2', { amends: original.id }));
    a.append(entry('correction 1', { amends: original.id, at: Date.parse(original.recordedAt) + 20 }));
    sync();
    const index = live.current();
    same(index, b);
    expect(index.entries[1]!.text).toBe('late one');
    expect(index.amendments.get(original.id)!.map((e) => e.text)).toEqual(['correction 1', 'correction 2']);
  });

  test('knows whether the log holds an exercise inject, through appends and the inject withdrawn', () => {
    const { a, b, sync } = pair();
    const live = liveIndexOf(b);
    a.append(entry('before'));
    sync();
    expect(live.current().hasInjects).toBe(false);
    a.append({ ...entry('Appel du préfet'), inject: { id: 'inj1', channel: 'phone', from: 'Préfecture', to: null, exerciseSeconds: 60 } });
    sync();
    same(live.current(), b);
    expect(live.current().hasInjects).toBe(true);
    a.array.delete(1, 1);
    sync();
    same(live.current(), b);
    expect(live.current().hasInjects).toBe(false);
  });

  test('a withdrawal (the entry deleted from the document) rebuilds the index', () => {
    const { a, b, sync } = pair();
    const live = liveIndexOf(b);
    for (let i = 0; i < 6; i++) a.append(entry(`entry ${i}`, { author: i === 3 ? 'Solo' : 'Alice' }));
    sync();
    live.current();
    a.array.delete(3, 1);
    sync();
    const index = live.current();
    same(index, b);
    expect(index.entries).toHaveLength(5);
    expect(index.authors).toEqual(['Alice']);
  });

  test('the live filter equals filtering the whole log, through appends, filter changes and rebuilds', () => {
    const { a, b, sync } = pair();
    const live = liveIndexOf(b);
    const filter = new LiveFilter();
    const verification = (e: LogEntry) => b.currentVerification(e);
    const alerts: Filters = { ...NO_FILTERS, category: 'alert' };
    const check = (filters: Filters) => {
      const index = live.current();
      expect(filter.view(live, index, filters, verification, b.verificationArray.length).map((e) => e.id)).toEqual(filterLog(indexLog(b.entries()).entries, filters, verification, false).map((e) => e.id));
    };
    for (let i = 0; i < 10; i++) a.append(entry(`e ${i}`, { category: i % 3 ? 'information' : 'alert' }));
    sync();
    check(alerts);
    a.append(entry('alert late', { category: 'alert', at: clock - 5_500 }));
    a.append(entry('info', { category: 'information' }));
    a.append(entry('alert new', { category: 'alert' }));
    sync();
    check(alerts);
    check({ ...NO_FILTERS, text: 'late' });
    check(NO_FILTERS);
    a.array.delete(0, 1);
    sync();
    check(alerts);
    b.addVerification({ entryId: live.current().entries[1]!.id, state: 'refuted', by: 'Alice', at: new Date(clock).toISOString() });
    check({ ...NO_FILTERS, verification: 'refuted' });
    check({ ...NO_FILTERS, verification: 'confirmed' });
  });
});
