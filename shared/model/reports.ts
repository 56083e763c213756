import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema, longText } from './common';

/**
 * Situation reports ("points de situation"): drafted together by the cell for a period, then
 * published and sealed. Sections follow the Conditions / Actions / Needs structure.
 */
export const REPORT_STATUSES = ['draft', 'published'] as const;
export const ReportStatusSchema = z.enum(REPORT_STATUSES);
export type ReportStatus = z.infer<typeof ReportStatusSchema>;

/** The collaboratively edited sections, each a Y.Text under its own key in the report's Y.Map. */
export const REPORT_SECTIONS = ['conditions', 'actionsInProgress', 'actionsDone', 'decisions', 'needs'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];
export const REPORT_SECTION_MAX = 20_000;

export function isReportSection(key: string | null): key is ReportSection {
  return key !== null && (REPORT_SECTIONS as readonly string[]).includes(key);
}

/** Plain fields of a report's Y.Map (the sections are Y.Text beside them). */
export const ReportFieldsSchema = z
  .object({
    id: IdSchema,
    number: z.number().int().min(1).max(100_000),
    status: ReportStatusSchema,
    /** The period the report covers. */
    windowFrom: IsoTimeSchema,
    windowTo: IsoTimeSchema,
    createdBy: PersonSchema,
    createdAt: IsoTimeSchema,
    publishedBy: PersonSchema.nullable(),
    publishedAt: IsoTimeSchema.nullable(),
    /** When the next report is due, as announced by this one. */
    nextReportAt: IsoTimeSchema.nullable(),
  })
  .strict();
export type ReportFields = z.infer<typeof ReportFieldsSchema>;
export type ReportField = keyof ReportFields;

/**
 * Sections as read from a document: not bounded, since a Y.Text grows keystroke by keystroke and
 * the guard sees each insertion, not the total (updates are bounded in size). A bound here would
 * make one over-long section fail every read of the incident state.
 */
export const ReportSectionsSchema = z.object(Object.fromEntries(REPORT_SECTIONS.map((s) => [s, z.string()])) as Record<ReportSection, z.ZodString>).strict();
export type ReportSections = z.infer<typeof ReportSectionsSchema>;
/** Sections as given to a new draft: bounded like every record text. */
const ReportSectionsInputSchema = z.object(Object.fromEntries(REPORT_SECTIONS.map((s) => [s, longText(REPORT_SECTION_MAX)])) as Record<ReportSection, z.ZodString>).strict();

export const ReportSchema = ReportFieldsSchema.extend({ sections: ReportSectionsSchema }).strict();
export type Report = z.infer<typeof ReportSchema>;

export function emptySections(): ReportSections {
  return Object.fromEntries(REPORT_SECTIONS.map((s) => [s, ''])) as ReportSections;
}

export const ReportDraftInputSchema = z
  .object({
    windowFrom: IsoTimeSchema,
    windowTo: IsoTimeSchema,
    nextReportAt: IsoTimeSchema.nullable().default(null),
    sections: ReportSectionsInputSchema.partial().default({}),
  })
  .strict()
  .refine((r) => Date.parse(r.windowFrom) <= Date.parse(r.windowTo), { message: '`windowFrom` must not be after `windowTo`', path: ['windowFrom'] });
export type ReportDraftInput = z.input<typeof ReportDraftInputSchema>;

/** What may still change in a draft besides its sections. */
export const ReportPatchSchema = ReportFieldsSchema.pick({ windowFrom: true, windowTo: true, nextReportAt: true }).partial().strict();
export type ReportPatch = z.infer<typeof ReportPatchSchema>;
