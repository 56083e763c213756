import * as Y from 'yjs';
import { RegulatoryDoc } from '../../../shared/docs/regulatoryDoc';
import type { RegulatoryDraft } from '../../../shared/model/regulatory';
import type { RegulatoryEventData, TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';
import { type PartReplayer, eventBase, keep } from '../replay/partReplayer';
import { applyAndCollect } from '../replay/changedRecords';

/**
 * Notification drafts: "drafted" when a draft first reads as a whole record, "sent" when its
 * status turns to sent (the server's act, which also writes the log entry). Keystroke-level
 * edits of a draft's text are not events: the sent version is what the authority received.
 */
export class RegulatoryReplayer implements PartReplayer {
  readonly part = 'regulatory' as const;
  private readonly doc = new Y.Doc();
  private readonly drafts = new RegulatoryDoc(this.doc);
  private readonly known = new Map<string, RegulatoryDraft['status']>();

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    const touched = applyAndCollect(this.doc, this.drafts.root, record.update);
    const events: TimelineEvent[] = [];
    let n = 0;
    for (const id of [...touched].sort()) {
      const draft = this.drafts.get(id);
      if (!draft) continue;
      const before = this.known.get(id);
      this.known.set(id, draft.status);
      if (before === undefined) events.push({ ...eventBase(this.part, record, n++), kind: 'regulatory.drafted', data: dataOf(draft) });
      // Its declared time is when it was sent, as the sender says (it may be entered afterwards).
      if (draft.status === 'sent' && before !== 'sent') events.push({ ...eventBase(this.part, record, n++), eventAt: draft.sentAt, kind: 'regulatory.sent', data: dataOf(draft) });
    }
    return keep(filter, events);
  }

  list(): RegulatoryDraft[] {
    return this.drafts.list();
  }
}

function dataOf(d: RegulatoryDraft): RegulatoryEventData {
  return { draftId: d.id, draftKind: d.kind, complements: d.complements, sentAt: d.sentAt, sentBy: d.sentBy, sentVia: d.sentVia, reference: d.reference };
}
