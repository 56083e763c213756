import * as Y from 'yjs';
import { ReportsDoc } from '../../../shared/docs/reportsDoc';
import type { Report } from '../../../shared/model/reports';
import type { TimelineEvent } from '../../../shared/timeline/events';
import type { EventFilter } from '../../../shared/timeline/filter';
import type { JournalRecord } from '../../storage/documentStore';
import { type PartReplayer, eventBase, keep } from '../replay/partReplayer';
import { applyAndCollect } from '../replay/changedRecords';

/**
 * Situation reports through the shared typed view. Only publication is an event: drafts are
 * edited keystroke by keystroke, and a published report no longer changes (it is sealed), so
 * the event carries the report as published.
 */
export class ReportsReplayer implements PartReplayer {
  readonly part = 'reports' as const;
  private readonly doc = new Y.Doc();
  private readonly reports = new ReportsDoc(this.doc);
  private readonly published = new Set<string>();

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    const touched = applyAndCollect(this.doc, this.reports.root, record.update);
    const events: TimelineEvent[] = [];
    let n = 0;
    const now: Report[] = [];
    for (const id of touched) {
      const r = this.reports.get(id);
      if (r && r.status === 'published' && !this.published.has(id)) now.push(r);
    }
    now.sort((a, b) => a.number - b.number);
    for (const r of now) {
      this.published.add(r.id);
      events.push({
        ...eventBase(this.part, record, n++),
        kind: 'report.published',
        data: { reportId: r.id, number: r.number, windowFrom: r.windowFrom, windowTo: r.windowTo, publishedBy: r.publishedBy ?? '', nextReportAt: r.nextReportAt, conditions: r.sections.conditions },
      });
    }
    return keep(filter, events);
  }

  /** The reports as the replay has them now, drafts included. */
  list(): Report[] {
    return this.reports.list();
  }
}
