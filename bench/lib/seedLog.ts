import * as Y from 'yjs';
import { docName } from '../../shared/model/parts';
import { LogDoc } from '../../shared/docs/logDoc';
import { LOG_CATEGORIES, LogEntry, LogEntrySchema } from '../../shared/model/log';
import { SEVERITIES } from '../../shared/model/common';
import { newId } from '../../shared/model/ids';
import { MetaDoc } from '../../shared/docs/metaDoc';
import type { DocumentStore, NewRecord } from '../../server/storage/documentStore';
import type { IncidentMeta } from '../../shared/model/incident';

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
    const author = `Membre ${w}`;
    // Built by hand, not through zod: the seed writes 100,000 entries, the schema checks one.
    const entry: LogEntry = {
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
