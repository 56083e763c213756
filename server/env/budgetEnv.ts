import { z } from 'zod';

/**
 * Budgets (issue 13, item 5), sized from a real crisis cell: 10 to 20 people on one incident,
 * a scribe typing at most one entry every few seconds (a paper transcription burst: 20 a
 * minute), log entries of a few hundred bytes (the longest allowed: 10,000 characters, about
 * 24 KB encoded). The per-member budget is 20× a scribe's burst, the per-incident one that of
 * ten busy members; nobody working meets them, a script flooding does. See docs/SECURITY.md.
 */
export const BUDGET_CONFIG_SHAPE = {
  /** Bytes of updates one member may send to one part of one incident per minute. Default 1 MiB. */
  budgetMemberBytesPerMinute: z.coerce.number().int().min(1).default(1024 * 1024),
  /** Records (log entries, tasks, decisions, reports, drafts written) one member may write per part per minute. Default 400. */
  budgetMemberRecordsPerMinute: z.coerce.number().int().min(1).default(400),
  /** Bytes of updates all members together may send to one part of one incident per minute. Default 8 MiB. */
  budgetIncidentBytesPerMinute: z.coerce.number().int().min(1).default(8 * 1024 * 1024),
  /** Records all members together may write per part of one incident per minute. Default 2,000. */
  budgetIncidentRecordsPerMinute: z.coerce.number().int().min(1).default(2_000),
  /** Largest single record, in bytes of update, per part (a log entry is at most ~24 KB encoded; a report with its sections ~100 KB). Default 128 KiB. */
  budgetRecordBytes: z.coerce.number().int().min(1024).default(128 * 1024),
  /** Incidents one user may create per 24 hours. Default 20. */
  budgetIncidentsPerDay: z.coerce.number().int().min(1).default(20),
  /** Documents one socket may have joined at once (an incident is 6). Default 60. */
  budgetDocsPerSocket: z.coerce.number().int().min(1).default(60),
  /** Seconds over which refused joins and failed handshakes are counted into one audit row per source. Default 60. */
  auditAggregateSeconds: z.coerce.number().min(0.05).max(3600).default(60),
} as const;

export function budgetConfigFromEnv(env: NodeJS.ProcessEnv): Record<keyof typeof BUDGET_CONFIG_SHAPE, string | undefined> {
  return {
    budgetMemberBytesPerMinute: env.BUDGET_MEMBER_BYTES_PER_MINUTE,
    budgetMemberRecordsPerMinute: env.BUDGET_MEMBER_RECORDS_PER_MINUTE,
    budgetIncidentBytesPerMinute: env.BUDGET_INCIDENT_BYTES_PER_MINUTE,
    budgetIncidentRecordsPerMinute: env.BUDGET_INCIDENT_RECORDS_PER_MINUTE,
    budgetRecordBytes: env.BUDGET_RECORD_BYTES,
    budgetIncidentsPerDay: env.BUDGET_INCIDENTS_PER_DAY,
    budgetDocsPerSocket: env.BUDGET_DOCS_PER_SOCKET,
    auditAggregateSeconds: env.AUDIT_AGGREGATE_SECONDS,
  };
}

export type BudgetConfig = { [K in keyof typeof BUDGET_CONFIG_SHAPE]: z.infer<(typeof BUDGET_CONFIG_SHAPE)[K]> };
