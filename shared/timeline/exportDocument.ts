import { z } from 'zod';
import { IsoTimeSchema } from '../model/common';
import { IncidentMetaSchema } from '../model/incident';
import { DOC_PARTS } from '../model/parts';
import { TimelineEventSchema } from './events';
import { TimelineFilterSchema } from './filter';
import { HeadSchema } from './headRef';
import { ExportAudienceSchema } from './audience';
import { LangSchema } from '../i18n/lang';

export const EXPORT_FORMATS = ['json', 'csv', 'md', 'html', 'pdf', 'svg'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const ChainProblemSchema = z
  .object({
    doc: z.string(),
    seq: z.number().int(),
    kind: z.enum(['content', 'link', 'missing', 'out-of-order', 'truncated', 'head', 'checkpoint']),
    message: z.string(),
  })
  .strict();

/** What every export states before its events (docs/TIMELINE.md, "Export header"). */
export const ExportHeaderSchema = z
  .object({
    /** Only in an exercise's export (issue 17): `true`, and the mark in the export's language. */
    exercise: z.literal(true).optional(),
    exerciseMark: z.string().optional(),
    format: z.literal('crisis-cell-timeline'),
    version: z.literal(1),
    /** The incident as registered when the export was produced. */
    incident: IncidentMetaSchema,
    /** The period covered (server time, inclusive): the filter's bounds, else opening → production. */
    range: z.object({ from: IsoTimeSchema, to: IsoTimeSchema }).strict(),
    filter: TimelineFilterSchema,
    producedAt: IsoTimeSchema,
    /** Who asked for it: the authenticated user once accounts exist; until then the name given. */
    producedBy: z.string().min(1),
    /** Who it is for (shared/timeline/audience.ts); absent in exports made before audiences: nominative. */
    audience: ExportAudienceSchema.optional(),
    /** IANA zone of the local times of human-readable formats; JSON times are always UTC. */
    timeZone: z.string(),
    /** The language of the human-readable formats' words; absent in exports made before languages: French. */
    lang: LangSchema.optional(),
    generator: z.string(),
    journal: z
      .object({
        /** Each document's chain head at production: the export holds exactly the records up to these. */
        heads: z.array(HeadSchema).min(4).max(DOC_PARTS.length),
        /** The printable reference: one record count per part, then the incident head hash (see headRef.ts). */
        headRef: z.string(),
        headHash: z.string().regex(/^[0-9a-f]{64}$/),
        /** Records journaled before hashing existed and sealed at upgrade (their integrity is vouched for from then on). */
        legacySealed: z.array(z.object({ part: z.string(), throughSeq: z.number().int(), sealedAt: IsoTimeSchema }).strict()),
      })
      .strict(),
    deadlines: z.array(z.object({ id: z.string(), label: z.string(), due: IsoTimeSchema, basis: z.string() }).strict()),
  })
  .strict();
export type ExportHeader = z.infer<typeof ExportHeaderSchema>;

/** Known only once every record was replayed: how many events, and whether every chain held. */
export const ExportTrailerSchema = z
  .object({
    eventCount: z.number().int().min(0),
    integrity: z.object({ intact: z.boolean(), problems: z.array(ChainProblemSchema) }).strict(),
  })
  .strict();
export type ExportTrailer = z.infer<typeof ExportTrailerSchema>;

/**
 * The JSON export: header fields, `events` in server-time order, then the trailer fields.
 * Written as a stream, in that key order.
 */
export const TimelineExportSchema = ExportHeaderSchema.extend({ events: z.array(TimelineEventSchema) }).merge(ExportTrailerSchema).strict();
export type TimelineExport = z.infer<typeof TimelineExportSchema>;
