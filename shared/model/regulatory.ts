import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema, longText, shortText } from './common';

/**
 * Notifications owed to authorities, drafted together in the `regulatory` part: one Y.Map of
 * plain fields per draft, keyed by its id. Content fields are plain strings (approximate numbers
 * are written as people say them: "environ 12 000"), so one schema covers every kind and the
 * completeness check below says which of them a kind requires.
 */
export const DRAFT_KINDS = ['cnil_initial', 'cnil_complementary', 'health_incident', 'nis2_early_warning', 'nis2_notification', 'nis2_final'] as const;
export const DraftKindSchema = z.enum(DRAFT_KINDS);
export type DraftKind = z.infer<typeof DraftKindSchema>;

export const DRAFT_STATUSES = ['draft', 'sent'] as const;
export const DraftStatusSchema = z.enum(DRAFT_STATUSES);
export type DraftStatus = z.infer<typeof DraftStatusSchema>;

/** Every content field a draft may hold; which ones a kind shows and requires is in DRAFT_FIELDS. */
export const CONTENT_FIELDS = [
  /** Controller (CNIL), entity (NIS2), establishment (health). */
  'organisation',
  /** Who declares, with how to reach them (health, NIS2). */
  'declarant',
  'dpoName',
  'dpoContact',
  /** Nature of the breach (CNIL), description of the incident (health, NIS2). */
  'description',
  'dataCategories',
  'peopleCategories',
  'peopleCount',
  'recordsCount',
  'consequences',
  'measures',
  /** CNIL, notified after 72 h: the reasons for the delay (GDPR art. 33(1)). */
  'delayReason',
  /** Health: when and how the incident was found. */
  'foundAt',
  'scope',
  'systemsAffected',
  'dataAffected',
  'careImpact',
  'causes',
  'handlingStatus',
  /** NIS2: suspected unlawful or malicious act? */
  'suspectedMalicious',
  'crossBorderImpact',
  /** NIS2 notification: initial assessment, severity and impact. */
  'severityImpact',
  'indicators',
  /** NIS2 final report: type of threat or root cause. */
  'threatType',
] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];

const contentShape = Object.fromEntries(CONTENT_FIELDS.map((f) => [f, longText(20_000).default('')])) as Record<ContentField, z.ZodDefault<z.ZodString>>;

/**
 * The draft record. `complements` links a complementary CNIL notification to the initial one.
 * The `sent*` fields and `status: sent` are written by the server only (POST …/send), which
 * also writes the log entry; after that the draft is sealed.
 */
export const RegulatoryDraftSchema = z
  .object({
    id: IdSchema,
    kind: DraftKindSchema,
    status: DraftStatusSchema,
    complements: IdSchema.nullable().default(null),
    createdBy: PersonSchema,
    createdAt: IsoTimeSchema,
    sentAt: IsoTimeSchema.nullable().default(null),
    sentBy: PersonSchema.nullable().default(null),
    sentVia: shortText(300).nullable().default(null),
    reference: shortText(300).nullable().default(null),
    ...contentShape,
  })
  .strict();
export type RegulatoryDraft = z.infer<typeof RegulatoryDraftSchema>;
export type DraftField = keyof RegulatoryDraft;

/** Fields set when the draft is marked sent: never by a client's own update. */
export const SENT_FIELDS = ['sentAt', 'sentBy', 'sentVia', 'reference'] as const;

/** What a kind shows in its form, in order, and which of them are mandatory. */
export interface KindFields {
  fields: readonly ContentField[];
  required: readonly ContentField[];
}

const CNIL_FIELDS: KindFields = {
  fields: ['organisation', 'description', 'dataCategories', 'peopleCategories', 'peopleCount', 'recordsCount', 'dpoName', 'dpoContact', 'consequences', 'measures', 'delayReason'],
  // The four items of GDPR art. 33(3): nature (categories and approximate numbers of people and
  // records), DPO name and contact, likely consequences, measures taken or proposed.
  required: ['description', 'dataCategories', 'peopleCategories', 'peopleCount', 'recordsCount', 'dpoName', 'dpoContact', 'consequences', 'measures'],
};

export const DRAFT_FIELDS: Record<DraftKind, KindFields> = {
  cnil_initial: CNIL_FIELDS,
  cnil_complementary: CNIL_FIELDS,
  health_incident: {
    fields: ['organisation', 'declarant', 'foundAt', 'description', 'scope', 'systemsAffected', 'dataAffected', 'careImpact', 'causes', 'handlingStatus', 'measures'],
    // Causes "if known": not required.
    required: ['organisation', 'declarant', 'foundAt', 'description', 'scope', 'systemsAffected', 'dataAffected', 'careImpact', 'handlingStatus'],
  },
  nis2_early_warning: {
    fields: ['organisation', 'declarant', 'description', 'suspectedMalicious', 'crossBorderImpact'],
    required: ['organisation', 'declarant', 'description', 'suspectedMalicious', 'crossBorderImpact'],
  },
  nis2_notification: {
    fields: ['organisation', 'declarant', 'description', 'severityImpact', 'indicators', 'suspectedMalicious', 'crossBorderImpact', 'measures'],
    // Indicators of compromise "where available".
    required: ['organisation', 'declarant', 'description', 'severityImpact', 'suspectedMalicious', 'crossBorderImpact'],
  },
  nis2_final: {
    fields: ['organisation', 'declarant', 'description', 'severityImpact', 'threatType', 'measures', 'crossBorderImpact'],
    required: ['organisation', 'declarant', 'description', 'severityImpact', 'threatType', 'measures', 'crossBorderImpact'],
  },
};

/** A field missing from a draft: a content field, the link to the initial notification, or the delay reason. */
export type MissingField = ContentField | 'complements';

/**
 * The mandatory fields a draft still lacks (blank counts as missing). A complementary CNIL
 * notification must name the initial one; a CNIL notification made (or still unsent) after its
 * 72-hour deadline must give the reasons for the delay. `due` is the draft's deadline, if any.
 */
export function missingFields(draft: RegulatoryDraft, due: string | null, now: Date): MissingField[] {
  const spec = DRAFT_FIELDS[draft.kind];
  const missing: MissingField[] = spec.required.filter((f) => draft[f].trim() === '');
  if (draft.kind === 'cnil_complementary' && draft.complements === null) missing.push('complements');
  if (draft.kind === 'cnil_initial' && due !== null && draft.delayReason.trim() === '') {
    const at = draft.sentAt ? Date.parse(draft.sentAt) : now.getTime();
    if (at > Date.parse(due)) missing.push('delayReason');
  }
  return missing;
}

/** What a client may create: the kind, optionally the initial notification and prefilled content. */
export const DraftInputSchema = z
  .object({
    kind: DraftKindSchema,
    complements: IdSchema.nullable().default(null),
    ...(Object.fromEntries(CONTENT_FIELDS.map((f) => [f, longText(20_000).optional()])) as Record<ContentField, z.ZodOptional<z.ZodString>>),
  })
  .strict();
export type DraftInput = z.input<typeof DraftInputSchema>;

export const DraftPatchSchema = z
  .object({ ...(Object.fromEntries(CONTENT_FIELDS.map((f) => [f, longText(20_000)])) as Record<ContentField, z.ZodString>), complements: IdSchema.nullable() })
  .partial()
  .strict();
export type DraftPatch = Partial<Record<ContentField, string>> & { complements?: string | null };

/** Marking a draft sent (REST body): how, the authority's reference, and when (default: now). */
export const MarkSentSchema = z
  .object({
    via: shortText(300).trim().min(1),
    reference: shortText(300).trim().default(''),
    sentAt: IsoTimeSchema.optional(),
  })
  .strict();
export type MarkSent = z.input<typeof MarkSentSchema>;

/** The regulatory facts of the incident the director records in its metadata (REST body). */
export const RegulatoryClockInputSchema = z
  .object({
    breachAwareAt: IsoTimeSchema.nullable().optional(),
    nis2: z.boolean().optional(),
    nis2AwareAt: IsoTimeSchema.nullable().optional(),
    healthSector: z.boolean().optional(),
  })
  .strict();
export type RegulatoryClockInput = z.infer<typeof RegulatoryClockInputSchema>;

/** The regulatory clocks an incident may run (shared/timeline/deadlines.ts computes them). */
export type ClockId = 'cnil-72h' | 'nis2-24h' | 'nis2-72h' | 'nis2-final' | 'health';
