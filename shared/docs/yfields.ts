import * as Y from 'yjs';
import { z } from 'zod';

/**
 * Reads the plain fields of a Y.Map record and validates them as a whole. A record that does
 * not validate (half-synced, or written by a faulty client before the server refused it) is
 * reported as null rather than thrown, so one bad record never hides the others.
 */
export function readRecord<S extends z.ZodTypeAny>(map: Y.Map<unknown>, schema: S, skip: readonly string[] = []): z.infer<S> | null {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of map.entries()) {
    if (skip.includes(key)) continue;
    plain[key] = value;
  }
  const result = schema.safeParse(plain);
  return result.success ? (result.data as z.infer<S>) : null;
}

/** Writes each field on its own key, so concurrent edits of different fields both survive. */
export function writeFields(map: Y.Map<unknown>, fields: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && map.get(key) !== value) map.set(key, value);
  }
}

export function childMaps(root: Y.Map<unknown>): Array<[string, Y.Map<unknown>]> {
  const out: Array<[string, Y.Map<unknown>]> = [];
  for (const [key, value] of root.entries()) {
    if (value instanceof Y.Map) out.push([key, value as Y.Map<unknown>]);
  }
  return out;
}
