import * as Y from 'yjs';
import {
  REPORT_SECTIONS,
  type Report,
  type ReportDraftInput,
  ReportDraftInputSchema,
  ReportFieldsSchema,
  type ReportPatch,
  ReportPatchSchema,
  type ReportSection,
  type ReportSections,
  emptySections,
} from '../model/reports';
import { newId } from '../model/ids';
import { ROOTS } from '../model/parts';
import { childMaps, readRecord, writeFields } from './yfields';
import { applyTextDiff } from './textDiff';

/**
 * Typed view of the situation reports. Each report is a Y.Map of plain fields plus one Y.Text
 * per section (edited together while it is a draft). Publishing sets status, publishedBy and
 * publishedAt; after that the server refuses any change to the report (server/parts/reports/sealed.ts).
 */
export class ReportsDoc {
  readonly root: Y.Map<unknown>;

  constructor(readonly doc: Y.Doc) {
    this.root = doc.getMap<unknown>(ROOTS.reports);
  }

  /** Oldest first (by number, then creation). */
  list(): Report[] {
    const out: Report[] = [];
    for (const [, map] of childMaps(this.root)) {
      const report = this.read(map);
      if (report) out.push(report);
    }
    return out.sort((a, b) => a.number - b.number || a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): Report | null {
    const map = this.root.get(id);
    return map instanceof Y.Map ? this.read(map as Y.Map<unknown>) : null;
  }

  /** The collaborative text of one section, for editors bound to Yjs. */
  sectionText(id: string, section: ReportSection): Y.Text {
    const text = this.requireMap(id).get(section);
    if (!(text instanceof Y.Text)) throw new Error(`report ${id} has no section ${section}`);
    return text;
  }

  /** A new draft numbered after the highest number known here. */
  createDraft(input: ReportDraftInput, author: string, now: Date): Report {
    const checked = ReportDraftInputSchema.parse(input);
    const number = this.list().reduce((n, r) => Math.max(n, r.number), 0) + 1;
    const fields = ReportFieldsSchema.parse({
      id: newId(),
      number,
      status: 'draft',
      windowFrom: checked.windowFrom,
      windowTo: checked.windowTo,
      createdBy: author,
      createdAt: now.toISOString(),
      publishedBy: null,
      publishedAt: null,
      nextReportAt: checked.nextReportAt,
    });
    const sections = { ...emptySections(), ...checked.sections };
    this.doc.transact(() => {
      const map = new Y.Map<unknown>();
      this.root.set(fields.id, map);
      writeFields(map, fields);
      for (const s of REPORT_SECTIONS) map.set(s, new Y.Text(sections[s]));
    });
    return this.get(fields.id) ?? this.fail(fields.id);
  }

  update(id: string, patch: ReportPatch): Report {
    const checked = ReportPatchSchema.parse(patch);
    const map = this.requireMap(id);
    this.doc.transact(() => writeFields(map, checked));
    return this.get(id) ?? this.fail(id);
  }

  /** Replaces a section's text with the smallest edit (keeps concurrent edits elsewhere). */
  setSection(id: string, section: ReportSection, value: string): void {
    applyTextDiff(this.sectionText(id, section), value);
  }

  /** Fills every given section (a computed draft), each with the smallest edit. */
  fillSections(id: string, sections: Partial<ReportSections>): void {
    this.doc.transact(() => {
      for (const s of REPORT_SECTIONS) {
        const value = sections[s];
        if (value !== undefined) this.setSection(id, s, value);
      }
    });
  }

  publish(id: string, by: string, now: Date, nextReportAt: string | null = null): Report {
    const map = this.requireMap(id);
    this.doc.transact(() => writeFields(map, { status: 'published', publishedBy: by, publishedAt: now.toISOString(), ...(nextReportAt ? { nextReportAt } : {}) }));
    return this.get(id) ?? this.fail(id);
  }

  onChange(listener: () => void): () => void {
    const handler = () => listener();
    this.root.observeDeep(handler);
    return () => this.root.unobserveDeep(handler);
  }

  private read(map: Y.Map<unknown>): Report | null {
    const fields = readRecord(map, ReportFieldsSchema, REPORT_SECTIONS);
    if (!fields) return null;
    const sections = emptySections();
    for (const s of REPORT_SECTIONS) {
      const text = map.get(s);
      if (text instanceof Y.Text) sections[s] = text.toString();
    }
    return { ...fields, sections };
  }

  private requireMap(id: string): Y.Map<unknown> {
    const map = this.root.get(id);
    if (!(map instanceof Y.Map)) return this.fail(id);
    return map as Y.Map<unknown>;
  }

  private fail(id: string): never {
    throw new Error(`no report ${id}`);
  }
}
