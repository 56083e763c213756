import * as Y from 'yjs';
import { readRegulatory } from '../../shared/docs/reader';
import { docName } from '../../shared/model/parts';
import type { RegulatoryDraft } from '../../shared/model/regulatory';
import type { DocumentStore, JournalHead } from '../storage/documentStore';
import { journalPages } from './timeline';

/**
 * The notification drafts as the journal holds them up to `heads` (the export's heads): an
 * export states the deadlines as the client shows them, and the NIS2 final report counts from
 * the notification's actual sending. The part is small (a few drafts), so replaying it is cheap.
 */
export async function regulatoryDraftsAt(store: DocumentStore, incidentId: string, heads: readonly JournalHead[]): Promise<RegulatoryDraft[]> {
  const name = docName(incidentId, 'regulatory');
  const head = heads.find((h) => h.doc === name);
  if (!head || head.seq === 0) return [];
  const doc = new Y.Doc();
  try {
    for await (const page of journalPages(store, name, head.seq)) doc.transact(() => page.forEach((r) => Y.applyUpdate(doc, r.update)));
    return readRegulatory(doc);
  } finally {
    doc.destroy();
  }
}
