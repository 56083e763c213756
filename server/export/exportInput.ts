import type { Writable } from 'node:stream';
import type { IncidentMeta } from '../../shared/model/incident';
import { parseDocName } from '../../shared/model/parts';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { TimelineFilter } from '../../shared/timeline/filter';
import type { ExportHeader, ExportTrailer } from '../../shared/timeline/exportDocument';
import { deadlinesOf } from '../../shared/timeline/deadlines';
import type { RegulatoryDraft } from '../../shared/model/regulatory';
import { zoneOffsetMs } from '../../shared/timeline/picture/timeAxis';
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
  /** Notification drafts at the export's heads: a sent NIS2 notification moves the final report's deadline. */
  drafts?: ReadonlyArray<Pick<RegulatoryDraft, 'kind' | 'status' | 'sentAt'>>;
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
    audience: 'nominative',
    timeZone: f.timeZone,
    generator: GENERATOR,
    journal: {
      heads: f.heads.map((h) => ({ part: parseDocName(h.doc).part, seq: h.seq, hash: h.hash })),
      headRef: incidentHeadRef(f.heads),
      headHash: incidentHeadHash(f.heads),
      legacySealed: f.legacySeals.filter((s) => docs.has(s.doc)).map((s) => ({ part: parseDocName(s.doc).part, throughSeq: s.throughSeq, sealedAt: s.sealedAt.toISOString() })),
    },
    deadlines: deadlinesOf(f.meta, f.drafts ?? []),
  };
}

/**
 * Local date-time formatting of the human-readable exports, in the export's zone. Formatting
 * 100,000 events through Intl costs seconds, so the zone's offset is looked up once per quarter
 * of an hour (offsets only change on such boundaries) and the digits are laid out by hand;
 * only day names go through Intl, once per day.
 */
export class LocalTime {
  private readonly dateOnly: Intl.DateTimeFormat;
  /** Offset of each quarter-hour seen (server times and declared times interleave, so one slot is not enough). */
  private readonly offsets = new Map<number, number>();
  private readonly days = new Map<string, string>();

  constructor(readonly timeZone: string) {
    this.dateOnly = new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  }

  /** "12/03/2026 14:03:27" */
  full(iso: string): string {
    const d = this.local(iso);
    return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${clock(d)}`;
  }

  /** "jeudi 12 mars 2026": the day headings. */
  day(iso: string): string {
    const d = this.local(iso);
    const key = `${d.getUTCFullYear()}-${d.getUTCMonth()}-${d.getUTCDate()}`;
    let label = this.days.get(key);
    if (label === undefined) {
      label = this.dateOnly.format(new Date(iso));
      this.days.set(key, label);
    }
    return label;
  }

  /** "14:03:27" */
  time(iso: string): string {
    return clock(this.local(iso));
  }

  /** "2026-03-12 14:03:27": sortable, and read as a date by spreadsheets. */
  sortable(iso: string): string {
    const d = this.local(iso);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${clock(d)}`;
  }

  /** A Date whose UTC fields are the local wall-clock time. */
  private local(iso: string): Date {
    const ms = Date.parse(iso);
    const bucket = Math.floor(ms / 900_000);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      if (this.offsets.size > 100_000) this.offsets.clear();
      offset = zoneOffsetMs(bucket * 900_000, this.timeZone);
      this.offsets.set(bucket, offset);
    }
    return new Date(ms + offset);
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function clock(d: Date): string {
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
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
    ...(filter.keyOnly ? ['faits marquants seulement'] : []),
  ];
  return parts.join(' ; ');
}
