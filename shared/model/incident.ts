import { z } from 'zod';
import { IdSchema, IsoTimeSchema, SeveritySchema, shortText } from './common';
import { LogEntrySchema } from './log';
import { TaskFieldsSchema } from './tasks';
import { DecisionSchema } from './decisions';
import { ReportSchema } from './reports';

export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);

export const IncidentMetaSchema = z
  .object({
    id: IdSchema,
    title: shortText(300).min(1),
    status: IncidentStatusSchema,
    severity: SeveritySchema,
    detectedAt: IsoTimeSchema.nullable(),
    openedAt: IsoTimeSchema,
    closedAt: IsoTimeSchema.nullable(),
    // Regulatory clocks (shared/timeline/deadlines.ts), set by the director. Optional: incidents
    // created before them have none of these keys.
    /** When the organisation became aware of a personal-data breach (GDPR art. 33: CNIL within 72 h). */
    breachAwareAt: IsoTimeSchema.nullable().optional(),
    /** The organisation is an essential or important entity under NIS2. */
    nis2: z.boolean().optional(),
    /** When it became aware of the significant incident (NIS2 art. 23: 24 h, 72 h, one month). */
    nis2AwareAt: IsoTimeSchema.nullable().optional(),
    /** A health establishment: the incident is declared to the ARS / CERT Santé without delay. */
    healthSector: z.boolean().optional(),
    /**
     * How often a situation report is due, set by the director; absent or null: the default of
     * the severity (shared/model/reportCadence.ts). Optional so incidents made before it parse.
     */
    reportCadenceMinutes: z.number().int().min(1).max(1_440).nullable().optional(),
    /**
     * Members may approve, reject, supersede and revoke decisions too (set by the director);
     * absent or false: only directors do (server/policy/decisionAuthority.ts).
     */
    membersMayApprove: z.boolean().optional(),
    /**
     * An exercise (issue 17), set by the server at creation and never changed after
     * (EXERCISE_MARK_FIXED). Absent or false: a real incident.
     */
    exercise: z.boolean().optional(),
  })
  .strict();
export type IncidentMeta = z.infer<typeof IncidentMetaSchema>;
export type IncidentMetaField = keyof IncidentMeta;

export const CreateIncidentSchema = z
  .object({
    title: shortText(300).trim().min(1),
    detectedAt: IsoTimeSchema.nullable().default(null),
    severity: SeveritySchema.default('high'),
    /** A health establishment (IncidentMeta.healthSector); absent: not said (a template of the health sector says it). */
    healthSector: z.boolean().optional(),
  })
  .strict();
export type CreateIncident = z.input<typeof CreateIncidentSchema>;

/** The whole incident as the REST API returns it. */
export const IncidentStateSchema = z
  .object({
    meta: IncidentMetaSchema,
    log: z.array(LogEntrySchema),
    tasks: z.array(TaskFieldsSchema),
    decisions: z.array(DecisionSchema),
    /** Situation reports, drafts included (absent from answers of servers before reports). */
    reports: z.array(ReportSchema).default([]),
  })
  .strict();
export type IncidentState = z.infer<typeof IncidentStateSchema>;

export const IncidentSummarySchema = IncidentMetaSchema;
export type IncidentSummary = IncidentMeta;
