import type { Writable } from 'node:stream';
import type { IncidentMeta } from '../../shared/model/incident';
import { parseDocName } from '../../shared/model/parts';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { TimelineFilter } from '../../shared/timeline/filter';
import type { ExportHeader, ExportTrailer } from '../../shared/timeline/exportDocument';
import { deadlinesOf } from '../../shared/timeline/deadlines';
import type { ReactionRefs } from '../../shared/timeline/injectReferences';
import type { RegulatoryDraft } from '../../shared/model/regulatory';
import { zoneOffsetMs } from '../../shared/timeline/picture/timeAxis';
import { type Lang, words } from '../../shared/i18n';
import { type DateFormatter, dateFormatter } from '../../shared/i18n/dates';
import type { JournalHead, LegacySeal } from '../storage/documentStore';
import { incidentHeadHash, incidentHeadRef } from '../evidence/headHash';
import { exerciseMarkOf } from './exerciseMark';

export const GENERATOR = 'crisis-cell timeline export 1';

/** What a writer gets: the header (known before any event), the events, and the trailer once they are all read. */
export interface ExportInput {
  header: ExportHeader;
  events: AsyncIterable<TimelineEvent[]>;
  trailer(): ExportTrailer;
  /** Formats that render in a second pass (HTML, PDF) report it here: events drawn so far, of how many. */
  onRender?: (done: number, total: number) => void;
  /** An exercise's tasks' and decisions' links at the export's head: with the events, the picture's lines from each inject to its reactions. */
  reactionRefs?: ReactionRefs;
}

export type ExportWriter = (input: ExportInput, out: Writable) => Promise<void>;

export interface HeaderFacts {
  meta: IncidentMeta;
  heads: JournalHead[];
  filter: TimelineFilter;
  producedAt: Date;
  producedBy: string;
  timeZone: string;
  /** The language of the human-readable formats. */
  lang: Lang;
  legacySeals: LegacySeal[];
  /** Notification drafts at the export's heads: a sent NIS2 notification moves the final report's deadline. */
  drafts?: ReadonlyArray<Pick<RegulatoryDraft, 'kind' | 'status' | 'sentAt'>>;
}

export function buildExportHeader(f: HeaderFacts): ExportHeader {
  const docs = new Set(f.heads.map((h) => h.doc));
  const mark = exerciseMarkOf(f.meta, f.lang);
  return {
    // First, so the first line of a JSON export says it.
    ...(mark ? { exercise: true as const, exerciseMark: mark } : {}),
    format: 'crisis-cell-timeline',
    version: 1,
    incident: f.meta,
    range: { from: f.filter.from ?? f.meta.openedAt, to: f.filter.to ?? f.producedAt.toISOString() },
    filter: f.filter,
    producedAt: f.producedAt.toISOString(),
    producedBy: f.producedBy,
    audience: 'nominative',
    timeZone: f.timeZone,
    lang: f.lang,
    generator: GENERATOR,
    journal: {
      heads: f.heads.map((h) => ({ part: parseDocName(h.doc).part, seq: h.seq, hash: h.hash })),
      headRef: incidentHeadRef(f.heads),
      headHash: incidentHeadHash(f.heads),
      legacySealed: f.legacySeals.filter((s) => docs.has(s.doc)).map((s) => ({ part: parseDocName(s.doc).part, throughSeq: s.throughSeq, sealedAt: s.sealedAt.toISOString() })),
    },
    deadlines: deadlinesOf(f.meta, f.drafts ?? [], f.lang),
  };
}

export { isTimeZone } from '../../shared/i18n/dates';

/**
 * "2026-03-12 14:03:27": the CSV's machine column of local times, sortable and read as a date by
 * spreadsheets (not a date for people: those go through shared/i18n/dates.ts). The zone's offset
 * is looked up once per quarter of an hour (offsets only change on such boundaries).
 */
export class SortableLocalTime {
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  format(iso: string): string {
    const ms = Date.parse(iso);
    const bucket = Math.floor(ms / 900_000);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      if (this.offsets.size > 100_000) this.offsets.clear();
      offset = zoneOffsetMs(bucket * 900_000, this.timeZone);
      this.offsets.set(bucket, offset);
    }
    const d = new Date(ms + offset);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The formatter of an export's dates: its language (French for exports made before languages) and zone. */
export function exportDates(header: Pick<ExportHeader, 'lang' | 'timeZone'>): DateFormatter {
  return dateFormatter(header.lang ?? 'fr', header.timeZone);
}

/** The language of an export (French for exports made before languages). */
export function exportLang(header: Pick<ExportHeader, 'lang'>): Lang {
  return header.lang ?? 'fr';
}

/** The exercise mark of an export in its language (issue 17), or null: a real incident's export never carries it. */
export function exportExerciseMark(header: Pick<ExportHeader, 'incident' | 'lang'>): string | null {
  return exerciseMarkOf(header.incident, exportLang(header));
}

/** The line every human-readable export carries: "Times in Europe/Paris (UTC+01:00)", the offset at production. */
export function timesInLine(header: Pick<ExportHeader, 'lang' | 'timeZone' | 'producedAt'>): string {
  const dates = exportDates(header);
  return words(exportLang(header)).exports.timesIn(header.timeZone, dates.offset(header.producedAt));
}

/** The filter in words, times in the export's zone; kinds and categories by their identifiers (as typed in a query). */
export function filterText(filter: TimelineFilter, header: Pick<ExportHeader, 'lang' | 'timeZone'>): string {
  const lang = exportLang(header);
  const w = words(lang).exports.filter;
  const colon = words(lang).common.colon;
  const dates = exportDates(header);
  const parts = [
    ...(filter.from ? [w.from(dates.dateTime(filter.from))] : []),
    ...(filter.to ? [w.to(dates.dateTime(filter.to))] : []),
    ...(filter.kinds.length ? [`${w.kinds}${colon} ${filter.kinds.join(', ')}`] : []),
    ...(filter.categories.length ? [`${w.categories}${colon} ${filter.categories.join(', ')}`] : []),
    ...(filter.authors.length ? [`${w.authors}${colon} ${filter.authors.join(', ')}`] : []),
    ...(filter.keyOnly ? [w.keyOnly] : []),
  ];
  return parts.join(lang === 'fr' ? '\u202F; ' : '; ');
}
