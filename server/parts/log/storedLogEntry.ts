import { LOG_CATEGORIES, type LogEntry, VERIFICATION_STATES } from '../../../shared/model/log';
import type { VerificationRecord } from '../../../shared/model/verification';
import { SEVERITIES, parseJsonObject } from '../../../shared/model/common';

const CATEGORIES = new Set<string>(LOG_CATEGORIES);
const SEVERITY_SET = new Set<string>(SEVERITIES);
const VERIFICATIONS = new Set<string>(VERIFICATION_STATES);

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * An entry read back from the journal. Every entry was checked against LogEntrySchema when it
 * was written (the update guard refuses anything else) and is sealed by the hash chain, so
 * replay checks its shape only (types and enumerations), not every format again: the full
 * schema costs ~0.5 s per 100,000 entries, this ~0.1 s. A value that fails is skipped and
 * counted by the caller, never shown half-read.
 */
export function parseStoredLogEntry(raw: unknown): LogEntry | null {
  const e = parseJsonObject(raw);
  if (!e) return null;
  if (!str(e.id) || !strOrNull(e.eventAt) || !str(e.recordedAt) || !str(e.author) || !strOrNull(e.source) || !str(e.text) || !strOrNull(e.amends)) return null;
  if (!str(e.category) || !CATEGORIES.has(e.category) || !str(e.severity) || !SEVERITY_SET.has(e.severity) || !str(e.verification) || !VERIFICATIONS.has(e.verification)) return null;
  if (typeof e.key !== 'boolean' || !Array.isArray(e.tags) || !e.tags.every(str)) return null;
  if (e.paper !== undefined && (typeof e.paper !== 'object' || e.paper === null || !str((e.paper as Record<string, unknown>).writer))) return null;
  return e as LogEntry;
}

/** A verification record read back from the journal, checked the same light way. */
export function parseStoredVerification(raw: unknown): VerificationRecord | null {
  const r = parseJsonObject(raw);
  if (!r) return null;
  if (!str(r.entryId) || !str(r.state) || !VERIFICATIONS.has(r.state) || !str(r.by) || !str(r.at)) return null;
  if (r.note !== undefined && !str(r.note)) return null;
  return r as VerificationRecord;
}
