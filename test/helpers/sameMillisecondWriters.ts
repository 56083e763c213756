import * as Y from 'yjs';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { mulberry32 } from './seededRandom';

/**
 * Writers who append entries in the same millisecond while none has seen the others' yet,
 * their updates delivered to replicas each in its own shuffled order: the case where the order
 * entries arrive in differs from the order the document holds them in (Yjs orders concurrent
 * inserts at one place by client id), as when twenty people write during a rolling upgrade.
 * Each round, some writers append one to three entries stamped with the round's millisecond;
 * one round in four reuses an earlier round's millisecond (an entry sent late), so ties also
 * land in the middle of the log. `afterRound` runs once every replica has had every update.
 */
export function writeInTheSameMillisecond(replicas: Y.Doc[], opts: { writers: number; rounds: number; seed: number; afterRound: (round: number) => void }): void {
  const random = mulberry32(opts.seed);
  const base = Date.parse('2026-06-14T09:00:00.000Z');
  const writers = Array.from({ length: opts.writers }, (_, i) => {
    const doc = new Y.Doc();
    // Spread client ids, so that the document order of a tie is not the writers' order.
    doc.clientID = 1_000 + ((i * 7_919) % 9_973);
    return new LogDoc(doc);
  });
  const sync = (to: Y.Doc, from: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'remote');
  const rounds: number[] = [];
  for (let round = 0; round < opts.rounds; round++) {
    const at = rounds.length > 0 && random() < 0.25 ? rounds[Math.floor(random() * rounds.length)]! : base + round * 1_000;
    rounds.push(at);
    const updates: Uint8Array[] = [];
    for (const w of writers) {
      if (random() < 0.4) continue;
      const count = 1 + Math.floor(random() * 3);
      const before = Y.encodeStateVector(w.doc);
      w.doc.transact(() => {
        for (let k = 0; k < count; k++) {
          const entry = buildLogEntry({ text: `w${w.doc.clientID} r${round} #${k}`, category: 'information', severity: 'medium', verification: 'confirmed', key: false, tags: [] }, `writer ${w.doc.clientID}`, new Date(at));
          w.append(entry);
        }
      });
      updates.push(Y.encodeStateAsUpdate(w.doc, before));
    }
    for (const replica of replicas) {
      const order = updates.map((u) => ({ u, r: random() })).sort((a, b) => a.r - b.r);
      for (const { u } of order) Y.applyUpdate(replica, u, 'remote');
    }
    for (const w of writers) sync(w.doc, replicas[0]!);
    opts.afterRound(round);
  }
}
