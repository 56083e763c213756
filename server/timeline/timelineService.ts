import type { Writable } from 'node:stream';
import type { TimelineFilter } from '../../shared/timeline/filter';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { ExportFormat, ExportHeader, ExportTrailer } from '../../shared/timeline/exportDocument';
import type { IncidentState } from '../../shared/model/incident';
import type { DocumentStore } from '../storage/documentStore';
import { AppError } from '../errors';
import { buildExportHeader } from '../export/exportInput';
import { CSV_COMMA, FORMATS, type FormatSpec } from '../export/formats';
import { openTimeline } from './timeline';
import type { TimelineSource } from './sources';
import { stateAt } from './stateAt';
import { replayCacheOf } from './replayCache';
import type { ChainProblem } from '../evidence/chainChecker';
import { type ReactionRefs, standingLinks } from '../../shared/timeline/injectReferences';
import { regulatoryDraftsAt } from './regulatoryAtHead';
import type { DescribeAuthors } from './authors';
import type { ExportAudience } from '../../shared/timeline/audience';
import type { Lang } from '../../shared/i18n';
import { Anonymiser, type IncidentRoster } from '../export/anonymise';
import type { IncidentMeta } from '../../shared/model/incident';
import { deadlinesOf } from '../../shared/timeline/deadlines';
import { EventFilter, TimelineFilterSchema } from '../../shared/timeline/filter';
import { incidentHeads } from './timeline';
import { type WindowCut, cutWindow } from './timelineWindow';
import { withAuthorNames } from './authors';

/** What the accounts work adds to a timeline: membership events and people's names. */
export interface TimelineServiceOptions {
  sources?: TimelineSource[];
  describeAuthors?: DescribeAuthors;
  /** The incident's people with their roles: the pseudonyms of anonymised exports. */
  roster?: IncidentRoster;
}

export interface ExportRequest {
  incidentId: string;
  format: ExportFormat;
  filter: TimelineFilter;
  producedBy: string;
  timeZone: string;
  /** The language of the human-readable formats (default French); JSON and CSV columns keep English identifiers. */
  lang?: Lang;
  /** CSV only: `;` (default, French spreadsheets) or `,`. */
  csvDelimiter?: ';' | ',';
  /** Default nominative; anonymised replaces every person by a role pseudonym (shared/timeline/audience.ts). */
  audience?: ExportAudience;
  /** The requester's user id, so an anonymised export names its producer by their pseudonym. */
  producedById?: string;
}

/** An exercise's tasks' and decisions' links as they stand: the picture's lines from injects to the reactions created linked. */
async function linksAtHead(store: DocumentStore, incidentId: string, at: Date): Promise<ReactionRefs> {
  const { state } = await replayCacheOf(store).standingAt(incidentId, at);
  return standingLinks(state.tasks, state.decisions);
}

/** Progress of a long export: journal records replayed, then (HTML, PDF) events drawn. */
export interface ExportProgress {
  onReplay?: (done: number, total: number) => void;
  onRender?: (done: number, total: number) => void;
}

export interface PreparedExport {
  header: ExportHeader;
  spec: FormatSpec;
  /** Writes the export to `out` (and ends it); resolves with the trailer once everything is written. */
  write(out: Writable): Promise<ExportTrailer>;
}

/** A window of the timeline (`TimelineService.window`): the route answers it as JSON. */
export interface TimelineWindowAnswer extends WindowCut {
  incident: IncidentMeta;
  producedAt: string;
  deadlines: ReturnType<typeof deadlinesOf>;
  /** The first and last journal events of the whole incident (null: none yet). */
  span: { first: string | null; last: string | null };
  window: { from: string; to: string };
  /** The hash chains of the records replayed so far, as the exports report them. */
  integrity: { intact: boolean; problems: ChainProblem[] };
}

async function* single(events: TimelineEvent[]): AsyncGenerator<TimelineEvent[]> {
  if (events.length > 0) yield events;
}

/**
 * The timeline's entry point for REST and the CLI: exports in every format and the state at a
 * past time, from the journal. Extra event sources (membership audit) are merged in.
 */
export class TimelineService {
  constructor(
    private readonly store: DocumentStore,
    private readonly options: TimelineServiceOptions = {},
  ) {}

  /**
   * Checks the request and fixes the journal heads (the export covers exactly the records up
   * to them), so errors surface before the first byte is sent and the header is known.
   */
  async prepareExport(req: ExportRequest, progress: ExportProgress = {}): Promise<PreparedExport> {
    const meta = await this.store.getIncident(req.incidentId);
    if (!meta) throw new AppError('NOT_FOUND', `no incident ${req.incidentId}`);
    const run = await openTimeline(this.store, req.incidentId, req.filter, { ...this.options, ...(progress.onReplay ? { onProgress: progress.onReplay } : {}) });
    const producedAt = new Date();
    const nominative = buildExportHeader({
      meta,
      heads: run.heads,
      filter: req.filter,
      producedAt,
      producedBy: req.producedBy,
      timeZone: req.timeZone,
      lang: req.lang ?? 'fr',
      legacySeals: await this.store.legacySeals(),
      drafts: await regulatoryDraftsAt(this.store, req.incidentId, run.heads),
    });
    let header = nominative;
    let events = run.events;
    if (req.audience === 'anonymised') {
      const anonymiser = new Anonymiser((await this.options.roster?.(req.incidentId)) ?? [], this.options.describeAuthors, req.lang ?? 'fr');
      if (req.producedById) await anonymiser.learn([req.producedById]);
      header = anonymiser.header(nominative, req.producedById ?? null);
      events = anonymiser.events(run.events);
    }
    const reactionRefs = meta.exercise ? await linksAtHead(this.store, req.incidentId, producedAt) : undefined;
    const spec = req.format === 'csv' && req.csvDelimiter === ',' ? CSV_COMMA : FORMATS[req.format];
    let count = 0;
    const counted = (async function* () {
      for await (const batch of events) {
        count += batch.length;
        yield batch;
      }
    })();
    const trailer = (): ExportTrailer => {
      const problems = run.problems();
      return { eventCount: count, integrity: { intact: problems.length === 0, problems } };
    };
    return {
      header,
      spec,
      write: async (out) => {
        await spec.writer({ header, events: counted, trailer, ...(progress.onRender ? { onRender: progress.onRender } : {}), ...(reactionRefs ? { reactionRefs } : {}) }, out);
        return trailer();
      },
    };
  }

  /**
   * A window of the timeline for the browser's picture: its overview and a page of events, cut
   * from the incident kept replayed up to the journal's head (server/timeline/replayCache.ts),
   * so a question costs the records written since the last one, not a replay of the journal.
   * Without `from`/`to`: from the incident's opening (or first event) to now.
   */
  async window(req: { incidentId: string; from: Date | null; to: Date | null; limit: number; cursor: number; buckets: number; lang: Lang }): Promise<TimelineWindowAnswer> {
    const meta = await this.store.getIncident(req.incidentId);
    if (!meta) throw new AppError('NOT_FOUND', `no incident ${req.incidentId}`);
    const producedAt = new Date();
    const { merged, problems } = await replayCacheOf(this.store).merged(req.incidentId);
    const first = merged.times[0];
    const last = merged.times[merged.times.length - 1];
    const fromMs = req.from?.getTime() ?? Math.min(Date.parse(meta.openedAt), first ?? Infinity);
    const toMs = req.to?.getTime() ?? Math.max(producedAt.getTime(), last ?? -Infinity);
    const everything = new EventFilter(TimelineFilterSchema.parse({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() }));
    const extra: TimelineEvent[] = [];
    for (const source of this.options.sources ?? []) for await (const batch of source.events(req.incidentId, everything)) for (const e of batch) extra.push(e);
    extra.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const cut = cutWindow(merged, extra, { fromMs, toMs, limit: req.limit, cursor: req.cursor, buckets: req.buckets });
    const named = async (events: TimelineEvent[]) => {
      const out: TimelineEvent[] = [];
      for await (const batch of withAuthorNames(single(events), everything, this.options.describeAuthors)) out.push(...batch);
      return out;
    };
    const drafts = await regulatoryDraftsAt(this.store, req.incidentId, await incidentHeads(this.store, req.incidentId));
    return {
      incident: meta,
      producedAt: producedAt.toISOString(),
      deadlines: deadlinesOf(meta, drafts, req.lang),
      span: { first: first === undefined ? null : new Date(first).toISOString(), last: last === undefined ? null : new Date(last).toISOString() },
      window: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
      integrity: { intact: problems.length === 0, problems },
      ...cut,
      events: await named(cut.events),
      highlights: await named(cut.highlights),
    };
  }

  async stateAt(incidentId: string, at: Date): Promise<IncidentState> {
    const meta = await this.store.getIncident(incidentId);
    if (!meta) throw new AppError('NOT_FOUND', `no incident ${incidentId}`);
    return stateAt(this.store, incidentId, at);
  }
}
