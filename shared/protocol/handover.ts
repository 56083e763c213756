import { z } from 'zod';
import { IdSchema, IsoTimeSchema } from '../model/common';
import { LogEntrySchema, VerificationSchema } from '../model/log';
import { TaskFieldsSchema } from '../model/tasks';
import { DecisionSchema } from '../model/decisions';
import { TimelineKindSchema } from '../timeline/events';

/** `GET /api/incidents/:id/handover?since=<ISO>`: `since` defaults to the caller's last visit. */
export const HandoverQuerySchema = z.object({ since: IsoTimeSchema.optional() }).strict();

/** Where `since` came from: the query, the caller's last recorded visit, or (neither) the incident's opening. */
export const SINCE_SOURCES = ['query', 'lastVisit', 'incidentOpened'] as const;

/** A log entry with its current verification state (the last verification record's, or its own field). */
const HandoverEntrySchema = z.object({ entry: LogEntrySchema, verification: VerificationSchema }).strict();

/** At most this many open alerts are listed, the latest; `openAlertCount` gives them all. */
export const HANDOVER_OPEN_ALERTS_LISTED = 100;
/**
 * At most this many new entries, and as many verification changes, are listed, the latest;
 * `entryCount` and `verificationCount` give them all. A person arriving for the first time on
 * a long incident (since its opening) reads the latest at a handover, and the log for the rest.
 */
export const HANDOVER_ENTRIES_LISTED = 200;

/**
 * "What happened since I left": what the journal recorded at or after `since`, grouped for a
 * shift handover. Records show their current state; `changes` lists the timeline kinds seen.
 * `entries` and `verifications` list the latest HANDOVER_ENTRIES_LISTED each, oldest first;
 * `entryCount` and `verificationCount` count them all. `openAlerts` is not bounded by `since`:
 * the alerts still open now, the latest HANDOVER_OPEN_ALERTS_LISTED of them, oldest first;
 * `openAlertCount` counts them all (see docs/PROTOCOL.md).
 */
export const HandoverSchema = z
  .object({
    incidentId: IdSchema,
    since: IsoTimeSchema,
    sinceSource: z.enum(SINCE_SOURCES),
    /** When the answer was computed (server clock). */
    until: IsoTimeSchema,
    entries: z.array(HandoverEntrySchema.extend({ at: IsoTimeSchema })).max(HANDOVER_ENTRIES_LISTED),
    entryCount: z.number().int().nonnegative(),
    verifications: z.array(
      z
        .object({
          entryId: IdSchema,
          at: IsoTimeSchema,
          state: VerificationSchema,
          from: VerificationSchema.nullable(),
          by: z.string(),
          note: z.string().nullable(),
          text: z.string(),
        })
        .strict(),
      )
      .max(HANDOVER_ENTRIES_LISTED),
    verificationCount: z.number().int().nonnegative(),
    tasks: z.array(z.object({ task: TaskFieldsSchema, changes: z.array(TimelineKindSchema), assignedToMe: z.boolean() }).strict()),
    decisions: z.array(z.object({ decision: DecisionSchema, changes: z.array(TimelineKindSchema) }).strict()),
    openAlerts: z.array(HandoverEntrySchema.extend({ isNew: z.boolean() })).max(HANDOVER_OPEN_ALERTS_LISTED),
    openAlertCount: z.number().int().nonnegative(),
  })
  .strict();
export type Handover = z.infer<typeof HandoverSchema>;
