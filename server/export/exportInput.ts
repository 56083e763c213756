import type { Writable } from 'node:stream';
import type { IncidentMeta } from '../../shared/model/incident';
import { parseDocName } from '../../shared/model/parts';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { TimelineFilter } from '../../shared/timeline/filter';
import type { ExportHeader, ExportTrailer } from '../../shared/timeline/exportDocument';
import { deadlinesOf } from '../../shared/timeline/deadlines';
import type { JournalHead, LegacySeal } from '../storage/documentStore';
import { incidentHeadHash, incidentHeadRef } from '../evidence/headHash';

export const GENERATOR = 'crisis-cell timeline export 1';

/** What a writer gets: the header (known before any event), the events, and the trailer once they are all read. */
export interface ExportInput {
  header: ExportHeader;
  events: AsyncIterable<TimelineEvent[]>;
  trailer(): ExportTrailer;
  /** Formats that render in a second pass (HTML, PDF) report it here: events drawn so far, of how many. */
  onRender?: (done: number, total: number) => void;
}

export type ExportWriter = (input: ExportInput, out: Writable) => Promise<void>;

export interface HeaderFacts {
  meta: IncidentMeta;
  heads: JournalHead[];
  filter: TimelineFilter;
  producedAt: Date;
  producedBy: string;
  timeZone: string;
  legacySeals: LegacySeal[];
}

export function buildExportHeader(f: HeaderFacts): ExportHeader {
  const docs = new Set(f.heads.map((h) => h.doc));
  return {
    format: 'crisis-cell-timeline',
    version: 1,
    incident: f.meta,
    range: { from: f.filter.from ?? f.meta.openedAt, to: f.filter.to ?? f.producedAt.toISOString() },
    filter: f.filter,
    producedAt: f.producedAt.toISOString(),
    producedBy: f.producedBy,
    timeZone: f.timeZone,
    generator: GENERATOR,
    journal: {
      heads: f.heads.map((h) => ({ part: parseDocName(h.doc).part, seq: h.seq, hash: h.hash })),
      headRef: incidentHeadRef(f.heads),
      headHash: incidentHeadHash(f.heads),
      legacySealed: f.legacySeals.filter((s) => docs.has(s.doc)).map((s) => ({ part: parseDocName(s.doc).part, throughSeq: s.throughSeq, sealedAt: s.sealedAt.toISOString() })),
    },
    deadlines: deadlinesOf(f.meta),
  };
}

/** Local date-time formatting of the human-readable exports, in the export's zone. */
export class LocalTime {
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly dateOnly: Intl.DateTimeFormat;
  private readonly timeOnly: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.dateTime = new Intl.DateTimeFormat('fr-FR', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    this.dateOnly = new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
    this.timeOnly = new Intl.DateTimeFormat('fr-FR', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  /** "12/03/2026 14:03:27" */
  full(iso: string): string {
    return this.dateTime.format(new Date(iso));
  }

  /** "jeudi 12 mars 2026": the day headings. */
  day(iso: string): string {
    return this.dateOnly.format(new Date(iso));
  }

  /** "14:03:27" */
  time(iso: string): string {
    return this.timeOnly.format(new Date(iso));
  }

  /** "2026-03-12 14:03:27": sortable, and read as a date by spreadsheets. */
  sortable(iso: string): string {
    const p = this.dateTime.formatToParts(new Date(iso));
    const get = (t: string) => p.find((x) => x.type === t)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
  }
}

/** Is this an IANA time zone the runtime knows? */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function filterText(filter: TimelineFilter): string {
  const parts = [
    ...(filter.from ? [`depuis ${filter.from}`] : []),
    ...(filter.to ? [`jusqu’à ${filter.to}`] : []),
    ...(filter.kinds.length ? [`types : ${filter.kinds.join(', ')}`] : []),
    ...(filter.categories.length ? [`catégories : ${filter.categories.join(', ')}`] : []),
    ...(filter.authors.length ? [`auteurs : ${filter.authors.join(', ')}`] : []),
  ];
  return parts.join(' ; ');
}
