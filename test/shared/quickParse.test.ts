import { z } from 'zod';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { EncodedLogEntrySchema, LogEntrySchema, MAX_ENTRY_TEXT_CHARS, type LogEntry } from '../../shared/model/log';
import { quickParser } from '../../shared/model/quickParse';

/**
 * The quick reader (shared/model/quickParse.ts) answers exactly as zod does: the same verdict,
 * the same value (keys in the same order), the same issues; and it answers a valid entry
 * without calling zod.
 */

const quick = quickParser(EncodedLogEntrySchema);

function base(): LogEntry {
  return buildLogEntry({ text: 'Digue fragilisée à Saumur', category: 'alert', severity: 'high', tags: ['crue', 'digue'] }, 'Alice Martin', new Date('2026-03-01T08:00:00.000Z'));
}

function same(raw: unknown): void {
  const expected = EncodedLogEntrySchema.safeParse(raw);
  const got = quick(raw);
  expect(got.success).toBe(expected.success);
  if (got.success && expected.success) expect(JSON.stringify(got.data)).toBe(JSON.stringify(expected.data));
  if (!got.success && !expected.success) expect(got.error.issues).toEqual(expected.error.issues);
}

const valid: Array<[string, Record<string, unknown>]> = [
  ['a plain entry', {}],
  ['an event time with an offset', { eventAt: '2026-03-01T09:30:00+02:00' }],
  ['an event time without seconds', { eventAt: '2026-03-01T09:30Z' }],
  ['a leap day', { eventAt: '2024-02-29T00:00:00.123456Z' }],
  ['an author to trim', { author: '  Alice Martin ' }],
  ['a source, key, amends and a reply', { source: 'SAMU 49', key: true, amends: 'abcdefgh12345678', replyTo: '0123456789abcdef' }],
  ['a paper transcription', { paper: { writer: 'Bruno Petit', sheet: 'F3' } }],
  ['an inject', { inject: { id: 'inj-1', channel: 'phone', from: 'Préfecture', to: null, exerciseSeconds: 125.5 } }],
  ['the longest text', { text: 'x'.repeat(MAX_ENTRY_TEXT_CHARS) }],
  ['keys in another order', { reorder: true }],
];

const invalid: Array<[string, Record<string, unknown>]> = [
  ['an empty text', { text: '' }],
  ['a text too long', { text: 'x'.repeat(MAX_ENTRY_TEXT_CHARS + 1) }],
  ['a bad id', { id: 'ABC' }],
  ['a day that does not exist', { eventAt: '2026-02-30T10:00:00Z' }],
  ['an offset no clock has', { recordedAt: '2026-03-01T10:00:00+99:00' }],
  ['a date without time', { recordedAt: '2026-03-01' }],
  ['a blank author', { author: '   ' }],
  ['an unknown category', { category: 'rumour' }],
  ['a number for a string', { source: 12 }],
  ['a string for a boolean', { key: 'true' }],
  ['too many tags', { tags: Array.from({ length: 31 }, (_, i) => `t${i}`) }],
  ['a tag too long', { tags: ['x'.repeat(61)] }],
  ['an unknown key', { colour: 'red' }],
  ['a missing key', { drop: 'severity' }],
  ['an unknown key in the paper', { paper: { writer: 'Bruno Petit', pen: 'blue' } }],
  ['a negative exercise time', { inject: { id: 'inj-1', channel: 'phone', from: 'Préfecture', to: null, exerciseSeconds: -1 } }],
  ['null where a value is needed', { verification: null }],
  ['a bad reply id', { replyTo: 'NOT-AN-ID' }],
];

function variant(change: Record<string, unknown>): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...base() };
  const { drop, reorder, ...fields } = change;
  Object.assign(entry, fields);
  if (typeof drop === 'string') delete entry[drop];
  return reorder ? Object.fromEntries(Object.entries(entry).reverse()) : entry;
}

describe('quickParser(EncodedLogEntrySchema) answers as zod does', () => {
  test.each(valid)('valid: %s, without calling zod', (_name, change) => {
    const raw = JSON.stringify(variant(change));
    const spy = jest.spyOn(EncodedLogEntrySchema, 'safeParse');
    try {
      const got = quick(raw);
      expect(got.success).toBe(true);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    same(raw);
  });

  test.each(invalid)('invalid: %s', (_name, change) => same(JSON.stringify(variant(change))));

  test('not JSON, not a string, JSON of something else, too long, a __proto__ key', () => {
    for (const raw of ['{"id":', 42, null, '[1,2]', '"text"', 'null', `"${'x'.repeat(30_000)}"`, JSON.stringify(base()).replace('{', '{"__proto__":{"x":1},')]) same(raw);
  });

  test('what it does not know goes to zod whole (an unknown construct, async refinement)', () => {
    const Unknown = z.object({ when: z.date() });
    const q = quickParser(Unknown);
    const spy = jest.spyOn(Unknown, 'safeParse');
    expect(q({ when: new Date(0) }).success).toBe(true);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(quickParser(LogEntrySchema)(base()).success).toBe(true);
  });
});
