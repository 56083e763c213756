import { type LogEntry, LogEntrySchema } from '../../../shared/model/log';
import { type VerificationRecord, VerificationRecordSchema } from '../../../shared/model/verification';
import { parseJsonObject } from '../../../shared/model/common';
import { shapeOf } from './shapeOf';

const isLogEntry = shapeOf(LogEntrySchema);
const isVerificationRecord = shapeOf(VerificationRecordSchema);

/**
 * An entry read back from the journal. Every entry was checked against LogEntrySchema when it
 * was written (the update guard refuses anything else) and is sealed by the hash chain, so
 * replay checks its shape only (types and enumerations, derived from LogEntrySchema), not every
 * format again: the full schema costs ~0.5 s per 100,000 entries. A value that fails is skipped
 * and counted by the caller, never shown half-read.
 */
export function parseStoredLogEntry(raw: unknown): LogEntry | null {
  const e = parseJsonObject(raw);
  return e && isLogEntry(e) ? (e as LogEntry) : null;
}

/** A verification record read back from the journal, checked the same light way (its shape from VerificationRecordSchema). */
export function parseStoredVerification(raw: unknown): VerificationRecord | null {
  const r = parseJsonObject(raw);
  return r && isVerificationRecord(r) ? (r as VerificationRecord) : null;
}
