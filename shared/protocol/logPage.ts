import { z } from 'zod';
import { IdSchema } from '../model/common';
import { LogEntrySchema, VerificationSchema } from '../model/log';
import { VerificationRecordSchema } from '../model/verification';

/** At most this many entries in one page of the newest (a screen and a half on a wall display). */
export const LOG_PAGE_MAX = 200;

/** `GET /api/incidents/:id/log/latest?limit=<1..LOG_PAGE_MAX>` (default 60). */
export const LogLatestQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(LOG_PAGE_MAX).default(60) }).strict();

/**
 * The newest entries of the live log, for a page to draw its first screen before the log's
 * document has arrived (a 100,000-entry log is tens of megabytes). `entries` are the newest
 * `limit` by time of writing, oldest first (ties: document order); `total` counts the whole log.
 * `related` holds what those rows show that is not among them: the entry an entry corrects or
 * answers, and its corrections. `verifications` gives each listed entry's current state and
 * history. A view, never a source: the live document takes over as soon as it has synced.
 */
export const LogLatestSchema = z
  .object({
    incidentId: IdSchema,
    total: z.number().int().nonnegative(),
    entries: z.array(LogEntrySchema),
    related: z.array(LogEntrySchema),
    verifications: z.record(IdSchema, z.object({ state: VerificationSchema, history: z.array(VerificationRecordSchema) }).strict()),
  })
  .strict();
export type LogLatest = z.infer<typeof LogLatestSchema>;
