import { type ParsedEntry, categoryFromWord, parseQuickEntry, parseTime, resolveDueTime, resolveEventTime } from '../../client/web/src/quickEntry';

/**
 * The quick-entry grammar of the log (client/web/src/quickEntry.ts), table by table: every
 * prefix form, in any order, and what malformed prefixes become (text, or a bad time flagged).
 */

/** What a line parses to: only the fields given differ from an empty entry. */
function entry(fields: Partial<ParsedEntry>): ParsedEntry {
  return { text: '', tags: [], badTime: false, ...fields };
}

describe('categories: #word in French or English, an alias, or a prefix of 3+ letters naming one category', () => {
  test.each([
    ['#alerte Serveurs chiffrés', 'alert'],
    ['#alert Serveurs chiffrés', 'alert'],
    ['#ALERTE Serveurs chiffrés', 'alert'],
    ['#ale Serveurs chiffrés', 'alert'],
    ['#action Serveurs chiffrés', 'action'],
    ['#act Serveurs chiffrés', 'action'],
    ['#actio Serveurs chiffrés', 'action'],
    ['#decision Serveurs chiffrés', 'decision'],
    ['#décision Serveurs chiffrés', 'decision'],
    ['#dec Serveurs chiffrés', 'decision'],
    ['#déc Serveurs chiffrés', 'decision'],
    ['#déci Serveurs chiffrés', 'decision'],
    ['#information Serveurs chiffrés', 'information'],
    ['#info Serveurs chiffrés', 'information'],
    ['#i Serveurs chiffrés', 'information'],
    ['#infor Serveurs chiffrés', 'information'],
    ['#communication Serveurs chiffrés', 'communication'],
    ['#com Serveurs chiffrés', 'communication'],
    ['#comm Serveurs chiffrés', 'communication'],
    ['#commun Serveurs chiffrés', 'communication'],
  ] as const)('%s → %s', (line, category) => {
    expect(parseQuickEntry(line)).toEqual(entry({ category, text: 'Serveurs chiffrés' }));
  });

  test.each([
    // Too short to be a prefix (and no alias): a tag.
    ['al', undefined],
    ['co', undefined],
    ['', undefined],
    // Not a prefix of any alias.
    ['alertes', undefined],
    ['urgence', undefined],
    ['Communication', 'communication'],
  ] as const)('categoryFromWord(%j) → %s', (word, category) => {
    expect(categoryFromWord(word)).toBe(category);
  });
});

describe('tags: any other #word, up to 30 of 60 characters', () => {
  test.each<[string, Partial<ParsedEntry>]>([
    ['#PACS #réseau Coupure', { tags: ['PACS', 'réseau'], text: 'Coupure' }],
    ['#al Coupure', { tags: ['al'], text: 'Coupure' }],
    ['#vlan_10 #site-nord Coupure', { tags: ['vlan_10', 'site-nord'], text: 'Coupure' }],
    ['#42 Coupure', { tags: ['42'], text: 'Coupure' }],
    // The first category word sets the category; a tag before it is kept.
    ['#PACS #alerte Coupure', { tags: ['PACS'], category: 'alert', text: 'Coupure' }],
    // A second category word is no prefix: it starts the text.
    ['#alerte #action Coupure', { category: 'alert', text: '#action Coupure' }],
  ])('%s', (line, fields) => {
    expect(parseQuickEntry(line)).toEqual(entry(fields));
  });

  test('a tag is cut at 60 characters', () => {
    const long = 'x'.repeat(80);
    expect(parseQuickEntry(`#${long} Coupure`)).toEqual(entry({ tags: ['x'.repeat(60)], text: 'Coupure' }));
  });

  test('the 31st tag is no prefix: it starts the text', () => {
    const tags = Array.from({ length: 31 }, (_, i) => `t${i}`);
    const parsed = parseQuickEntry(`${tags.map((t) => `#${t}`).join(' ')} Coupure`);
    expect(parsed.tags).toEqual(tags.slice(0, 30));
    expect(parsed.text).toBe('#t30 Coupure');
  });
});

describe('severity: ! !! !!! or !1..!4', () => {
  test.each([
    ['! Coupure', 'medium'],
    ['!! Coupure', 'high'],
    ['!!! Coupure', 'critical'],
    ['!1 Coupure', 'low'],
    ['!2 Coupure', 'medium'],
    ['!3 Coupure', 'high'],
    ['!4 Coupure', 'critical'],
    // The last one given wins.
    ['! !!! Coupure', 'critical'],
    ['!!! !1 Coupure', 'low'],
  ] as const)('%s → %s', (line, severity) => {
    expect(parseQuickEntry(line)).toEqual(entry({ severity, text: 'Coupure' }));
  });
});

describe('source: @word (underscores for spaces) or @"quoted words"', () => {
  test.each<[string, Partial<ParsedEntry>]>([
    ['@DSI Coupure', { source: 'DSI', text: 'Coupure' }],
    ['@Direction_des_soins Coupure', { source: 'Direction des soins', text: 'Coupure' }],
    ['@"Direction des soins" Coupure', { source: 'Direction des soins', text: 'Coupure' }],
    ['@"  Standard  " Coupure', { source: 'Standard', text: 'Coupure' }],
    // Empty quotes: no source, and the prefix is used up.
    ['@"" Coupure', { text: 'Coupure' }],
    ['@"Direction des soins"', { source: 'Direction des soins' }],
    // The last one given wins.
    ['@DSI @SAMU Coupure', { source: 'SAMU', text: 'Coupure' }],
  ])('%s', (line, fields) => {
    expect(parseQuickEntry(line)).toEqual(entry(fields));
  });

  test('a source is cut at 200 characters', () => {
    expect(parseQuickEntry(`@${'s'.repeat(250)} Coupure`).source).toBe('s'.repeat(200));
  });
});

describe('time: ~hh:mm, ~hhHmm, ~hh.mm, ~hh', () => {
  test.each([
    ['~03:10', 3, 10],
    ['~3:10', 3, 10],
    ['~3h10', 3, 10],
    ['~3H10', 3, 10],
    ['~03.45', 3, 45],
    ['~03', 3, 0],
    ['~3h', 3, 0],
    ['~0:00', 0, 0],
    ['~23:59', 23, 59],
  ] as const)('%s → %i:%i', (token, hours, minutes) => {
    expect(parseQuickEntry(`${token} Coupure`)).toEqual(entry({ eventTime: { hours, minutes }, text: 'Coupure' }));
  });

  test.each(['~', '~24:00', '~12:60', '~1:5', '~123', '~midi', '~03:10:00', '~-1', '~3h1'])('%s is a bad time: flagged, no time, the token used up', (token) => {
    expect(parseQuickEntry(`${token} Coupure`)).toEqual(entry({ badTime: true, text: 'Coupure' }));
  });

  test('a good time after a bad one is kept, and the bad one still flagged', () => {
    expect(parseQuickEntry('~99 ~04:30 Coupure')).toEqual(entry({ badTime: true, eventTime: { hours: 4, minutes: 30 }, text: 'Coupure' }));
  });

  test.each([
    ['03:10', { hours: 3, minutes: 10 }],
    ['7', { hours: 7, minutes: 0 }],
    ['7h', { hours: 7, minutes: 0 }],
    ['', null],
    ['24', null],
    ['7:7', null],
    [' 7', null],
  ] as const)('parseTime(%j)', (raw, expected) => {
    expect(parseTime(raw)).toEqual(expected);
  });
});

describe('key fact: *', () => {
  test.each<[string, Partial<ParsedEntry>]>([
    ['* Coupure', { key: true, text: 'Coupure' }],
    ['** Coupure', { text: '** Coupure' }],
    ['*Coupure', { text: '*Coupure' }],
  ])('%s', (line, fields) => {
    expect(parseQuickEntry(line)).toEqual(entry(fields));
  });
});

describe('prefixes together, in any order, then the text', () => {
  const all = entry({ category: 'alert', severity: 'high', source: 'DSI', eventTime: { hours: 3, minutes: 10 }, key: true, text: 'Serveurs PACS chiffrés' });
  test.each([
    '#alerte !! @DSI ~03:10 * Serveurs PACS chiffrés',
    '* ~03:10 @DSI !! #alerte Serveurs PACS chiffrés',
    '@DSI #alerte * !! ~3h10 Serveurs PACS chiffrés',
    '   #alerte   !!  @DSI ~03:10 *   Serveurs PACS chiffrés   ',
    '\t#alerte\t!! @DSI ~03:10 * Serveurs PACS chiffrés\n',
  ])('%j', (line) => {
    expect(parseQuickEntry(line)).toEqual(all);
  });

  test('prefixes only at the start: the same tokens inside the text stay text', () => {
    expect(parseQuickEntry('Serveurs #PACS chiffrés !! @DSI ~03:10 *')).toEqual(entry({ text: 'Serveurs #PACS chiffrés !! @DSI ~03:10 *' }));
  });

  test('the first word that is no prefix ends them, even if prefixes follow', () => {
    expect(parseQuickEntry('!! Appel du #SAMU @Régulation')).toEqual(entry({ severity: 'high', text: 'Appel du #SAMU @Régulation' }));
  });

  test('a line of prefixes only has an empty text', () => {
    expect(parseQuickEntry('#alerte !!! *')).toEqual(entry({ category: 'alert', severity: 'critical', key: true }));
  });
});

describe('malformed prefixes are text, never lost', () => {
  test.each([
    '',
    '   ',
    '#',
    '#! Coupure',
    '#foo! Coupure',
    '#a.b Coupure',
    '!!!! Coupure',
    '!0 Coupure',
    '!5 Coupure',
    '!a Coupure',
    '@ Coupure',
    '** Coupure',
    'Coupure ~03:10',
  ])('%j', (line) => {
    const parsed = parseQuickEntry(line);
    expect(parsed).toEqual(entry({ text: line.trim() }));
  });

  test('an unclosed quote is a one-word source with its quote (what was typed is kept)', () => {
    expect(parseQuickEntry('@"Direction des soins Coupure')).toEqual(entry({ source: '"Direction', text: 'des soins Coupure' }));
  });
});

describe('hh:mm on the clock', () => {
  // Local time, as the quick entry reads it.
  const now = new Date(2026, 2, 1, 10, 0, 0);
  test.each([
    // Earlier today, or at most 5 minutes ahead: today.
    [{ hours: 3, minutes: 10 }, new Date(2026, 2, 1, 3, 10)],
    [{ hours: 10, minutes: 5 }, new Date(2026, 2, 1, 10, 5)],
    // More than 5 minutes ahead: yesterday.
    [{ hours: 10, minutes: 6 }, new Date(2026, 1, 28, 10, 6)],
    [{ hours: 23, minutes: 30 }, new Date(2026, 1, 28, 23, 30)],
  ])('an event at %j happened at %s', (time, expected) => {
    expect(resolveEventTime(time, now)).toEqual(expected);
  });

  test.each([
    // Ahead, or past by at most 12 hours: today.
    [{ hours: 18, minutes: 0 }, new Date(2026, 2, 1, 18, 0)],
    [{ hours: 9, minutes: 0 }, new Date(2026, 2, 1, 9, 0)],
    [{ hours: 0, minutes: 0 }, new Date(2026, 2, 1, 0, 0)],
  ])('a task due at %j is due at %s', (time, expected) => {
    expect(resolveDueTime(time, now)).toEqual(expected);
  });

  test('a due time past by more than 12 hours is tomorrow', () => {
    const late = new Date(2026, 2, 1, 22, 30);
    expect(resolveDueTime({ hours: 6, minutes: 0 }, late)).toEqual(new Date(2026, 2, 2, 6, 0));
    expect(resolveDueTime({ hours: 10, minutes: 30 }, late)).toEqual(new Date(2026, 2, 1, 10, 30));
  });
});
