import { z } from 'zod';
import { ID_PATTERN } from './ids';

export const IdSchema = z.string().regex(ID_PATTERN, 'expected an id of 8 to 40 lowercase letters and digits');
/** Times cross the wire and sit in documents as ISO 8601 UTC strings: readable in exports and evidence. */
/** An ISO 8601 date-time that names an instant: the syntax alone lets through offsets no clock has (+99:00), which Date cannot read. */
export const IsoTimeSchema = z
  .string()
  .datetime({ offset: true, message: 'expected an ISO 8601 date-time' })
  .refine((s) => Number.isFinite(Date.parse(s)), 'not a possible date-time (offset or date out of range)');
export const PersonSchema = z.string().trim().min(1).max(120);

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** Bounded text: a record field never grows past what a person would type. */
export const shortText = (max = 200) => z.string().max(max);
export const longText = (max = 20_000) => z.string().max(max);

/**
 * A record kept as one JSON string in a Yjs array (immutable records decode far faster as one
 * string than as a map of fields): at most `maxChars`, parsed, then checked against `schema`.
 */
export function jsonStringOf<T extends z.ZodTypeAny>(schema: T, maxChars: number) {
  return z
    .string()
    .max(maxChars)
    .transform((json, ctx): unknown => {
      try {
        return JSON.parse(json);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A JSON string holding an object, parsed; null when it is not JSON or not an object. */
export function parseJsonObject(raw: unknown): Record<string, unknown> | null {
  if (typeof raw !== 'string') return null;
  try {
    const value = JSON.parse(raw) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
