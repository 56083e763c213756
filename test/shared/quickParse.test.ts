import { z } from 'zod';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { EncodedLogEntrySchema, LogEntryInputSchema, LogEntrySchema, MAX_ENTRY_TEXT_CHARS, type LogEntry } from '../../shared/model/log';
import { quickParse, quickParser, quickSafeParse } from '../../shared/model/quickParse';
import { AwarenessMessageSchema, UpdateRequestSchema } from '../../shared/protocol/messages';
import { DecisionInputSchema } from '../../shared/model/decisions';
import { ReportDraftInputSchema } from '../../shared/model/reports';
import { RegulatoryDraftSchema } from '../../shared/model/regulatory';
import { CreateIncidentSchema } from '../../shared/model/incident';

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

describe('quickSafeParse answers socket messages as zod does (unions, instanceof, refined names)', () => {
  const doc = `${'a'.repeat(16)}:log`;
  const bytes = new Uint8Array([1, 2, 3]);
  const messages: unknown[] = [
    { doc, update: bytes },
    { doc, update: bytes.buffer },
    { doc, update: Buffer.from(bytes) },
    { doc, update: 'AQID' },
    { doc, update: [1, 2, 3] },
    { doc: `${'a'.repeat(16)}:nowhere`, update: bytes },
    { doc: 'x'.repeat(70), update: bytes },
    { doc, update: bytes, extra: 1 },
    { update: bytes },
    null,
    'doc',
  ];

  function sameAnswer(schema: z.ZodTypeAny, value: unknown): void {
    const expected = schema.safeParse(value);
    const got = quickSafeParse(schema, value);
    expect(got.success).toBe(expected.success);
    if (got.success && expected.success) {
      const data = got.data as { update: Uint8Array };
      const wanted = expected.data as { update: Uint8Array };
      expect(data.update).toBeInstanceOf(Uint8Array);
      expect([...data.update]).toEqual([...wanted.update]);
      expect(Object.keys(data)).toEqual(Object.keys(wanted));
    }
    if (!got.success && !expected.success) expect(got.error.issues).toEqual(expected.error.issues);
  }

  test.each(messages.map((m, i) => [i, m]))('update message %i', (_i, m) => sameAnswer(UpdateRequestSchema, m));
  test.each(messages.map((m, i) => [i, m]))('awareness message %i', (_i, m) => sameAnswer(AwarenessMessageSchema, m));

  test('a valid update message is answered without zod', () => {
    const spy = jest.spyOn(UpdateRequestSchema, 'safeParse');
    try {
      expect(quickSafeParse(UpdateRequestSchema, { doc, update: bytes }).success).toBe(true);
      expect(quickSafeParse(UpdateRequestSchema, { doc, update: bytes.buffer }).success).toBe(true);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test('a union answers its first option that passes, as zod does', () => {
    const Either = z.union([z.string().trim().min(2), z.string().transform((s) => s.length)]);
    for (const v of ['  ab ', ' a ', '', 3, null]) expect(JSON.stringify(quickSafeParse(Either, v))).toBe(JSON.stringify(Either.safeParse(v)));
  });
});

describe('what a writer types (LogEntryInputSchema: defaults, trims) answers as zod does', () => {
  const inputs: Array<[string, unknown]> = [
    ['only a text: every default filled', { text: 'Appel du SAMU' }],
    ['a text to trim and explicit fields', { text: '  Coupure réseau  ', category: 'alert', severity: 'high', verification: 'confirmed', key: true, tags: ['réseau'] }],
    ['an event time, a source, a reply', { text: 'x', eventAt: '2026-03-01T09:30:00+02:00', source: 'CERT Santé', replyTo: '0123456789abcdef' }],
    ['null where nullable', { text: 'x', eventAt: null, source: null, amends: null }],
    ['a paper transcription', { text: 'x', paper: { writer: 'Bruno Petit', sheet: 'F3' } }],
    ['a blank text', { text: '   ' }],
    ['no text', {}],
    ['an unknown key', { text: 'x', colour: 'red' }],
    ['a bad default-able field', { text: 'x', severity: 'extreme' }],
    ['null for a field with a default', { text: 'x', tags: null }],
    ['not an object', 'Appel du SAMU'],
  ];

  test.each(inputs)('%s', (_name, value) => {
    const expected = LogEntryInputSchema.safeParse(value);
    const got = quickSafeParse(LogEntryInputSchema, value);
    expect(got.success).toBe(expected.success);
    if (got.success && expected.success) expect(JSON.stringify(got.data)).toBe(JSON.stringify(expected.data));
    if (!got.success && !expected.success) expect(got.error.issues).toEqual(expected.error.issues);
  });

  test('values that take a default never share it (each gets its own array, as from zod)', () => {
    const a = quickParse(LogEntryInputSchema, { text: 'a' });
    const b = quickParse(LogEntryInputSchema, { text: 'b' });
    expect(a.tags).toEqual([]);
    expect(a.tags).not.toBe(b.tags);
  });

  test('a valid input is answered without zod', () => {
    const spy = jest.spyOn(LogEntryInputSchema, 'safeParse');
    try {
      expect(quickParse(LogEntryInputSchema, { text: 'Appel du SAMU', tags: ['samu'] }).category).toBe('information');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  test("quickParse throws zod's own error, with the same issues as schema.parse", () => {
    const bad = { text: '', severity: 'extreme' };
    let thrown: unknown = null;
    try {
      quickParse(LogEntryInputSchema, bad);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(z.ZodError);
    expect((thrown as z.ZodError).issues).toEqual(LogEntryInputSchema.safeParse(bad).error!.issues);
  });
});

describe('schemas with defaults answer as zod does, keys included (explicit undefined, nested defaults, an object default)', () => {
  const at = '2026-03-01T08:00:00.000Z';
  const cases: Array<[string, z.ZodTypeAny, unknown]> = [
    ['a decision with only a title', DecisionInputSchema, { title: ' Bascule en mode dégradé ' }],
    ['a decision with explicit undefined fields', DecisionInputSchema, { title: 'x', statement: undefined, options: undefined, supersedes: undefined }],
    ['a decision with null where a default exists but null is refused', DecisionInputSchema, { title: 'x', options: null }],
    ['a decision with null supersedes', DecisionInputSchema, { title: 'x', supersedes: null, status: 'approved' }],
    ['a report draft without sections (an object default)', ReportDraftInputSchema, { windowFrom: at, windowTo: at }],
    ['a report draft with some sections', ReportDraftInputSchema, { windowFrom: at, windowTo: at, sections: { conditions: 'Réseau coupé' } }],
    ['a report draft whose window is reversed', ReportDraftInputSchema, { windowFrom: '2026-03-02T08:00:00.000Z', windowTo: at }],
    ['a regulatory draft with its content defaults', RegulatoryDraftSchema, { id: '0123456789abcdef', kind: 'cnil_initial', status: 'draft', createdBy: 'Alice Martin', createdAt: at }],
    ['a regulatory draft with an explicit undefined', RegulatoryDraftSchema, { id: '0123456789abcdef', kind: 'cnil_initial', status: 'draft', createdBy: 'Alice Martin', createdAt: at, sentAt: undefined }],
    ['an incident with only a title', CreateIncidentSchema, { title: 'Cyberattaque' }],
    ['an incident with an explicit undefined sector', CreateIncidentSchema, { title: 'Cyberattaque', healthSector: undefined }],
  ];

  test.each(cases)('%s', (_name, schema, value) => {
    const expected = schema.safeParse(value);
    const got = quickSafeParse(schema, value);
    expect(got.success).toBe(expected.success);
    if (got.success && expected.success) {
      // toStrictEqual tells a key set to undefined from an absent one; JSON the order of keys.
      expect(got.data).toStrictEqual(expected.data);
      expect(JSON.stringify(got.data)).toBe(JSON.stringify(expected.data));
    }
    if (!got.success && !expected.success) expect(got.error.issues).toEqual(expected.error.issues);
  });
});
