import * as Y from 'yjs';
import { DOC_PARTS, type DocPart, docName } from '../../shared/model/parts';
import { type IncidentState, IncidentStateSchema } from '../../shared/model/incident';
import { readDecisions, readLog, readMeta, readReports, readTasks } from '../../shared/docs/reader';
import type { DocumentStore } from '../storage/documentStore';
import { AppError } from '../errors';
import { journalPages } from './timeline';
import { declareRoots, partModule } from '../parts/registry';

/**
 * The incident as it stood at `at`: every journal record the server accepted at or before that
 * time, applied in order to fresh documents, read through the same typed views as the live
 * API (shared/docs/reader.ts), so the answer has the shape of GET /api/incidents/:id. Records are applied one page per
 * transaction: observers and cleanup run once a page, not once a record.
 */
export async function stateAt(store: DocumentStore, incidentId: string, at: Date): Promise<IncidentState> {
  const limit = at.getTime();
  const docs = await Promise.all(DOC_PARTS.map((part) => replayUntil(store, incidentId, part, limit)));
  try {
    return readStateOf(docs, incidentId, at);
  } finally {
    for (const d of docs) d.destroy();
  }
}

/** The incident read from its documents (in DOC_PARTS order) as replayed up to `at`, through the live API's readers. */
export function readStateOf(docs: Y.Doc[], incidentId: string, at: Date): IncidentState {
  const [meta, log, tasks, decisions, reports] = docs as [Y.Doc, Y.Doc, Y.Doc, Y.Doc, Y.Doc];
  const state = {
    meta: readMeta(meta),
    log: readLog(log).entries,
    tasks: readTasks(tasks),
    decisions: readDecisions(decisions),
    reports: readReports(reports),
  };
  if (!state.meta) throw new AppError('NOT_FOUND', `incident ${incidentId} did not exist yet at ${at.toISOString()}`);
  return IncidentStateSchema.parse(state);
}

async function replayUntil(store: DocumentStore, incidentId: string, part: DocPart, limitMs: number): Promise<Y.Doc> {
  const name = docName(incidentId, part);
  const doc = new Y.Doc();
  declareRoots(doc, partModule(part));
  const head = await store.journalHead(name);
  for await (const page of journalPages(store, name, head.seq)) {
    doc.transact(() => {
      for (const r of page) if (r.at.getTime() <= limitMs) Y.applyUpdate(doc, r.update);
    });
  }
  return doc;
}
