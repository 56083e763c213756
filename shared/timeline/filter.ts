import { z } from 'zod';
import { IsoTimeSchema, PersonSchema } from '../model/common';
import { LogCategorySchema, type LogCategory } from '../model/log';
import { TIMELINE_KINDS, TimelineKindSchema, type TimelineEvent, type TimelineKind, kindGroup } from './events';

/**
 * Which events a timeline keeps. Empty lists mean "all". `from`/`to` bound the server time
 * (`at`), inclusive. `categories` narrows log events only (other events have no category);
 * combine with `kinds` to keep log events alone.
 */
export const TimelineFilterSchema = z
  .object({
    from: IsoTimeSchema.nullable().default(null),
    to: IsoTimeSchema.nullable().default(null),
    kinds: z.array(TimelineKindSchema).max(TIMELINE_KINDS.length).default([]),
    categories: z.array(LogCategorySchema).max(10).default([]),
    authors: z.array(PersonSchema).max(200).default([]),
    /**
     * The short version of the timeline: only events about key entries (log entries and
     * amendments flagged `key`, verification changes of such entries). Absent means false.
     */
    keyOnly: z.boolean().optional(),
  })
  .strict()
  .refine((f) => f.from === null || f.to === null || Date.parse(f.from) <= Date.parse(f.to), { message: '`from` must not be after `to`', path: ['from'] });
export type TimelineFilter = z.infer<typeof TimelineFilterSchema>;

const GROUPS = ['incident', 'log', 'task', 'decision', 'report', 'regulatory', 'member'] as const;

/** "a,b , c" → ["a","b","c"]; repeated query parameters are joined first. */
function list(value: unknown): unknown {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  return parts.map((p) => (typeof p === 'string' ? p.trim() : p)).filter((p) => p !== '');
}

/** A kind or a whole group ("log" = every log.* kind). */
const KindOrGroupSchema = z.union([TimelineKindSchema, z.enum(GROUPS)]);

/**
 * The filter as URL query parameters (REST) or CLI flags: `from`, `to` (ISO 8601), `kinds`,
 * `categories`, `authors` (comma-separated or repeated), `keyOnly` (true|false). Unknown parameters are left to the caller.
 */
export const TimelineFilterQuerySchema = z
  .object({
    from: IsoTimeSchema.optional(),
    to: IsoTimeSchema.optional(),
    kinds: z.preprocess(list, z.array(KindOrGroupSchema).max(40)).optional(),
    categories: z.preprocess(list, z.array(LogCategorySchema).max(10)).optional(),
    authors: z.preprocess(list, z.array(PersonSchema).max(200)).optional(),
    keyOnly: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .transform((q) => ({
    ...(q.keyOnly === 'true' || q.keyOnly === '1' ? { keyOnly: true } : {}),
    from: q.from ?? null,
    to: q.to ?? null,
    kinds: [...new Set((q.kinds ?? []).flatMap((k) => ((GROUPS as readonly string[]).includes(k) ? TIMELINE_KINDS.filter((x) => kindGroup(x) === k) : [k as TimelineKind])))],
    categories: q.categories ?? [],
    authors: q.authors ?? [],
  }))
  .pipe(TimelineFilterSchema);

/** A compiled filter: cheap checks the replay can make before decoding a record. */
export class EventFilter {
  readonly fromMs: number;
  readonly toMs: number;
  private readonly kinds: Set<TimelineKind> | null;
  private readonly categories: Set<LogCategory> | null;
  private readonly authors: Set<string> | null;
  readonly keyOnly: boolean;

  constructor(readonly filter: TimelineFilter) {
    this.keyOnly = filter.keyOnly === true;
    this.fromMs = filter.from === null ? -Infinity : Date.parse(filter.from);
    this.toMs = filter.to === null ? Infinity : Date.parse(filter.to);
    this.kinds = filter.kinds.length > 0 ? new Set(filter.kinds) : null;
    this.categories = filter.categories.length > 0 ? new Set(filter.categories) : null;
    this.authors = filter.authors.length > 0 ? new Set(filter.authors) : null;
  }

  /** Whether any event of a record written at `atMs` can pass. */
  wantsRecord(atMs: number): boolean {
    return atMs >= this.fromMs && atMs <= this.toMs;
  }

  /**
   * The `authors` filter: an event passes when the list names its author by display name or
   * by id. Checked once names are resolved (server/timeline/authors.ts), not during replay,
   * where only ids are known.
   */
  acceptsAuthor(event: Pick<TimelineEvent, 'author' | 'authorId'>): boolean {
    return this.authors === null || this.authors.has(event.author) || this.authors.has(event.authorId);
  }

  wantsKind(kind: TimelineKind): boolean {
    return this.kinds === null || this.kinds.has(kind);
  }

  wantsGroup(group: ReturnType<typeof kindGroup>): boolean {
    if (this.keyOnly && group !== 'log') return false;
    return this.kinds === null || [...this.kinds].some((k) => kindGroup(k) === group);
  }

  accepts(event: TimelineEvent): boolean {
    return this.acceptsAt(event, Date.parse(event.at));
  }

  /** `accepts`, for a caller that has the event's time in milliseconds already. Authors are checked apart: `acceptsAuthor`. */
  acceptsAt(event: TimelineEvent, atMs: number): boolean {
    if (!this.wantsKind(event.kind)) return false;
    if (!this.wantsRecord(atMs)) return false;
    if (this.categories && (event.kind === 'log.entry' || event.kind === 'log.amendment') && !this.categories.has(event.data.category)) return false;
    if (this.keyOnly && !((event.kind === 'log.entry' || event.kind === 'log.amendment' || event.kind === 'log.verification') && event.data.key)) return false;
    return true;
  }
}
