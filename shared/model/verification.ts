import { z } from 'zod';
import { IdSchema, IsoTimeSchema, PersonSchema, jsonStringOf, shortText } from './common';
import { VerificationSchema } from './log';

/**
 * Name of the second root of the log document: a Y.Array of append-only verification records,
 * one JSON string each (like entries). Entries are immutable, so a change of an entry's
 * verification state is a new record here; the current state is the last record's.
 */
export const VERIFICATIONS_ROOT = 'verifications';

/** Longest encoded record the log accepts. */
export const MAX_ENCODED_VERIFICATION_CHARS = 2_000;

/** One change of an entry's verification state: who (the sender), when (server-corrected clock), why. */
export const VerificationRecordSchema = z
  .object({
    entryId: IdSchema,
    state: VerificationSchema,
    by: PersonSchema,
    at: IsoTimeSchema,
    note: shortText(500).optional(),
  })
  .strict();
export type VerificationRecord = z.infer<typeof VerificationRecordSchema>;

export const EncodedVerificationRecordSchema = jsonStringOf(VerificationRecordSchema, MAX_ENCODED_VERIFICATION_CHARS);

export function encodeVerificationRecord(record: VerificationRecord): string {
  return JSON.stringify(VerificationRecordSchema.parse(record));
}
