import * as Y from 'yjs';
import { docName } from '../../shared/model/parts';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { LOG_CATEGORIES, LogEntry, LogEntrySchema } from '../../shared/model/log';
import { SEVERITIES } from '../../shared/model/common';
import { newId } from '../../shared/model/ids';
import { MetaDoc } from '../../shared/docs/metaDoc';
import type { DocumentStore, NewRecord } from '../../server/storage/documentStore';
import type { IncidentMeta } from '../../shared/model/incident';
import type { RunningServer } from '../../server/createServer';

/**
 * Writes an incident with `entries` log entries straight into a store, as if `writers` people
 * had appended them one by one: one journal record per entry, then the snapshot a server takes.
 */
export async function seedIncident(store: DocumentStore, entries: number, writers = 50): Promise<string> {
  const id = newId();
  const start = Date.now() - entries * 1000;
  const meta: IncidentMeta = { id, title: 'Cyberattaque — 100 000 entrées', status: 'open', severity: 'critical', detectedAt: new Date(start).toISOString(), openedAt: new Date(start).toISOString(), closedAt: null };
  const metaDoc = new Y.Doc();
  new MetaDoc(metaDoc).init(meta);
  await store.createIncident(meta, { doc: docName(id, 'meta'), author: 'seed', at: new Date(start), update: Y.encodeStateAsUpdate(metaDoc) });

  const doc = new Y.Doc();
  const log = new LogDoc(doc);
  const clientIds = Array.from({ length: writers }, (_, i) => 1_000_000 + i * 7919);
  let batch: NewRecord[] = [];
  doc.on('update', (update: Uint8Array, author: unknown) => batch.push({ author: String(author), at: new Date(), update }));
  const name = docName(id, 'log');
  for (let i = 0; i < entries; i++) {
    const w = i % writers;
    doc.clientID = clientIds[w]!;
    const author = seedAuthor(w);
    const entry = seedEntry(i, start, author);
    if (i === 0) LogEntrySchema.parse(entry);
    doc.transact(() => log.array.insert(log.array.length, [JSON.stringify(entry)]), author);
    if (batch.length >= 2000) {
      await store.append(name, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.append(name, batch);
  await store.saveSnapshot(name, { seq: entries, update: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc) });
  doc.destroy();
  return id;
}

/** Thousands of entries in batches (the bench and the virtualisation test). */
export async function seedManyEntries(server: RunningServer, incidentId: string, count: number, batch = 1_000): Promise<void> {
  const room = await server.rooms.get(docName(incidentId, 'log'));
  const start = Date.now() - count * 2_000;
  const categories = ['information', 'action', 'alert', 'communication', 'decision'] as const;
  const severities = ['low', 'low', 'medium', 'high', 'critical'] as const;
  for (let from = 0; from < count; from += batch) {
    await room.change('seed', (doc: Y.Doc) => {
      const log = new LogDoc(doc);
      for (let i = from; i < Math.min(count, from + batch); i++) {
        log.append(
          buildLogEntry(
            {
              text: `Point ${i + 1} : situation des services, appels au standard, état du réseau isolé${i % 7 === 0 ? ' — relevé détaillé des postes touchés dans les services de soins et les plateaux techniques, à confirmer par la DSI' : ''}.`,
              category: categories[i % categories.length],
              severity: severities[i % severities.length],
              source: i % 3 === 0 ? 'Standard' : null,
            },
            `Membre ${i % 40}`,
            new Date(start + i * 2_000),
          ),
        );
      }
    });
  }
}

export function seedAuthor(writer: number): string {
  return `Membre ${writer}`;
}

/**
 * The i-th entry of a seeded log (recorded `i` seconds after `start`): built by hand, not
 * through zod, since a seed writes 100,000 of them (the schema checks the first). The `peer`
 * bench pushes the same entries to Hocuspocus, so both sides hold logs of the same size.
 */
export function seedEntry(i: number, start: number, author: string): LogEntry {
  return {
    id: newId(),
    eventAt: null,
    recordedAt: new Date(start + i * 1000).toISOString(),
    author,
    source: i % 3 === 0 ? 'Standard' : null,
    category: LOG_CATEGORIES[i % LOG_CATEGORIES.length]!,
    severity: SEVERITIES[i % SEVERITIES.length]!,
    verification: 'to_check',
    key: false,
    text: `Point ${i} : ${'situation des services, appels des patients, état du réseau isolé. '.slice(0, 90)}`,
    tags: i % 10 === 0 ? ['réseau'] : [],
    amends: null,
  };
}
