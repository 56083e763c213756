import * as Y from 'yjs';
import { MetaDoc } from '../../../shared/docs/metaDoc';
import type { IncidentMeta, IncidentMetaField } from '../../../shared/model/incident';
import type { FieldChanges, TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';
import { type PartReplayer, eventBase, keep } from '../replay/partReplayer';

/** The regulatory facts and the report cadence are optional (older incidents lack them): absent reads as null. */
const UPDATE_FIELDS: readonly IncidentMetaField[] = ['title', 'severity', 'detectedAt', 'breachAwareAt', 'nis2', 'nis2AwareAt', 'healthSector', 'reportCadenceMinutes'];

/** The incident's metadata: opened by its first valid state, then closed, reopened or edited. */
export class MetaReplayer implements PartReplayer {
  readonly part = 'meta' as const;
  private readonly doc = new Y.Doc();
  private readonly view = new MetaDoc(this.doc);
  private current: IncidentMeta | null = null;

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    Y.applyUpdate(this.doc, record.update);
    const after = this.view.get();
    const before = this.current;
    if (!after) return [];
    this.current = after;
    const events: TimelineEvent[] = [];
    if (!before) {
      events.push({ ...eventBase(this.part, record, events.length), kind: 'incident.opened', data: { title: after.title, severity: after.severity, detectedAt: after.detectedAt } });
      return keep(filter, events);
    }
    const changes: FieldChanges = {};
    // An absent optional field (regulatory facts, reportCadenceMinutes) reads as null.
    for (const key of UPDATE_FIELDS) if ((before[key] ?? null) !== (after[key] ?? null)) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
    if (Object.keys(changes).length > 0) events.push({ ...eventBase(this.part, record, events.length), kind: 'incident.updated', data: { changes } });
    if (before.status !== after.status) {
      events.push(
        after.status === 'closed'
          ? { ...eventBase(this.part, record, events.length), kind: 'incident.closed', data: { closedAt: after.closedAt } }
          : { ...eventBase(this.part, record, events.length), kind: 'incident.reopened', data: {} },
      );
    }
    return keep(filter, events);
  }

  meta(): IncidentMeta | null {
    return this.current;
  }
}
