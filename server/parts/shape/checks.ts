import * as Y from 'yjs';
import type { z } from 'zod';
import { IdSchema } from '../../../shared/model/common';
import { quickSafeParse } from '../../../shared/model/quickParse';
import type { Container } from './containers';
import type { InsertedContent } from './partPolicy';

/** Shape rules answer null when an item is allowed. */
export const ok = null;

export function describe(container: Container, key: string | null): string {
  return [...container.path, key ?? '[]'].join('.');
}

/** One plain value for a record field, checked against that field's schema. */
export function checkField(shape: z.ZodRawShape, key: string | null, content: InsertedContent, where: string): string | null {
  if (content.kind === 'deleted') return ok;
  const schema = key === null ? undefined : shape[key];
  if (!schema) return `${where}: unknown field`;
  if (content.kind !== 'values' || content.values.length !== 1) return `${where}: expected one plain value`;
  const result = quickSafeParse(schema, content.values[0]);
  return result.success ? ok : `${where}: ${result.error.issues[0]?.message ?? 'invalid value'}`;
}

export function checkValues(schema: z.ZodTypeAny, content: InsertedContent, where: string): string | null {
  if (content.kind === 'deleted') return ok;
  if (content.kind !== 'values') return `${where}: expected plain records`;
  for (const value of content.values) {
    const result = quickSafeParse(schema, value);
    if (!result.success) return `${where}: ${result.error.issues[0]?.path.join('.') ?? ''} ${result.error.issues[0]?.message ?? 'invalid'}`.trim();
  }
  return ok;
}

/**
 * Text drafted together (a decision's statement, a report's section) is plain text of bounded
 * length: what the server holds plus what one update adds stays under `max`, so no one can grow
 * it without end (every later keystroke, export and seal check would pay for it).
 */
export function checkText(container: Container, content: InsertedContent, where: string, max: number): string | null {
  if (content.kind === 'deleted') return ok;
  if (content.kind !== 'string') return `${where}: plain text only`;
  const held = container.live instanceof Y.Text ? container.live.length : 0;
  return held + content.length <= max ? ok : `${where}: text longer than ${max} characters`;
}

export function checkRecordSlot(container: Container, key: string | null, content: InsertedContent, where: string): string | null {
  if (container.kind !== 'map' || key === null || !quickSafeParse(IdSchema, key).success) return `${where}: records are keyed by id`;
  if (content.kind === 'deleted') return ok;
  return content.kind === 'type' && content.type === 'map' ? ok : `${where}: a record must be a map`;
}
