import { z } from 'zod';
import { LogEntrySchema, encodeLogEntry, type LogEntry } from '../../shared/model/log';
import { VerificationRecordSchema, encodeVerificationRecord } from '../../shared/model/verification';
import { parseStoredLogEntry, parseStoredVerification } from '../../server/parts/log/storedLogEntry';
import { shapeOf } from '../../server/parts/log/shapeOf';

const entry: LogEntry = {
  id: 'entry00000001',
  eventAt: null,
  recordedAt: '2026-03-01T10:00:00.000Z',
  author: 'Alice',
  source: 'SAMU',
  category: 'alert',
  severity: 'high',
  verification: 'to_check',
  key: true,
  text: 'Standard saturé',
  tags: ['tel'],
  amends: null,
  paper: { writer: 'Bob', sheet: '3' },
};

/** A value of the wrong type for each kind of field the schema holds. */
const WRONG: Record<string, unknown> = { string: 42, boolean: 'yes', enum: 'not-a-value', array: 'tel', object: 'Bob' };

function kindOf(schema: z.ZodTypeAny): string {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return kindOf(schema.unwrap() as z.ZodTypeAny);
  if (schema instanceof z.ZodEffects) return kindOf(schema.innerType() as z.ZodTypeAny);
  if (schema instanceof z.ZodEnum) return 'enum';
  if (schema instanceof z.ZodArray) return 'array';
  if (schema instanceof z.ZodObject) return 'object';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  return 'string';
}

describe('the journal reader of log entries follows LogEntrySchema', () => {
  test('an entry the schema accepts reads back as it is, with and without its optional fields', () => {
    expect(parseStoredLogEntry(encodeLogEntry(entry))).toEqual(entry);
    const { paper: _paper, ...plain } = entry;
    expect(parseStoredLogEntry(encodeLogEntry(plain))).toEqual(plain);
  });

  test.each(Object.entries(LogEntrySchema.shape))('a wrong type or a missing value in %s is not read', (field, schema) => {
    const wrong = { ...entry, [field]: WRONG[kindOf(schema as z.ZodTypeAny)] };
    expect(LogEntrySchema.safeParse(wrong).success).toBe(false);
    expect(parseStoredLogEntry(JSON.stringify(wrong))).toBeNull();
    const missing: Record<string, unknown> = { ...entry };
    delete missing[field];
    expect(parseStoredLogEntry(JSON.stringify(missing)) === null).toBe(!LogEntrySchema.safeParse(missing).success);
  });

  test.each(Object.entries(VerificationRecordSchema.shape))('a verification record with a wrong %s is not read', (field, schema) => {
    const record = { entryId: 'entry00000001', state: 'confirmed' as const, by: 'Alice', at: '2026-03-01T10:05:00.000Z', note: 'rappelé' };
    expect(parseStoredVerification(encodeVerificationRecord(record))).toEqual(record);
    expect(parseStoredVerification(JSON.stringify({ ...record, [field]: WRONG[kindOf(schema as z.ZodTypeAny)] }))).toBeNull();
  });

  test('a kind of field the shape check does not know fails at once, not on a stored value', () => {
    expect(() => shapeOf(z.object({ at: z.date() }))).toThrow(/no shape check for ZodDate/);
  });
});
