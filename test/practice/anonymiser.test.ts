import { Anonymiser } from '../../server/export/anonymise';
import type { TimelineEvent } from '../../shared/timeline/events';

const people = [
  { id: 'u000000000000001', name: 'Élodie Marchand', email: 'e.marchand@chu.example', role: 'director' as const },
  { id: 'u000000000000002', name: 'Marie Curie', email: 'mcurie@chu.example', role: 'member' as const },
  { id: 'u000000000000003', name: 'Marie Dupont', email: 'md@chu.example', role: 'member' as const },
  { id: 'u000000000000004', name: 'Action', email: 'action@chu.example', role: 'observer' as const },
];

test('names, e-mails and ids become role pseudonyms, whatever the case and accents, whole words only', () => {
  const a = new Anonymiser(people);
  expect(a.text('Élodie Marchand')).toBe('Directeur 1');
  expect(a.text('u000000000000002')).toBe('Membre 1');
  expect(a.text('appel de ELODIE MARCHAND puis de marie curie')).toBe('appel de Directeur 1 puis de Membre 1');
  expect(a.text('écrire à E.Marchand@CHU.example ou à e.marchand')).toBe('écrire à Directeur 1 ou à Directeur 1');
  // A first name two people share is no one's pseudonym; surnames still are.
  expect(a.text('Marie a rappelé Dupont et Curie')).toBe('[personne] a rappelé Membre 2 et Membre 1');
  // Whole words only: "Marchandise" is not Élodie, nor "Mariette" a Marie.
  expect(a.text('Marchandise livrée à Mariette')).toBe('Marchandise livrée à Mariette');
  // Text around a replacement keeps its own characters, emoji and accents included.
  expect(a.text('🚑 élodie — « Élodie » 🚑')).toBe('🚑 Directeur 1 — « Directeur 1 » 🚑');
  expect(a.text('Observateur ACTION')).toBe('Observateur Observateur 1');
});

test('structured fields are replaced, enumerations and journal references are not', () => {
  const a = new Anonymiser(people);
  const event = {
    id: 'log:3:0',
    at: '2026-03-12T10:00:00.000Z',
    eventAt: null,
    author: 'Marie Curie',
    authorId: 'u000000000000002',
    ref: { part: 'log', seq: 3, hash: 'a'.repeat(64) },
    kind: 'log.entry',
    data: { entryId: 'abcdefgh', category: 'action', severity: 'high', verification: 'to_check', key: false, text: 'Action de Marie Curie', source: 'Élodie Marchand', tags: ['marchand'], amends: null, writtenBy: 'Marie Curie' },
  } as TimelineEvent;
  const out = a.value(event);
  expect(out).toEqual({
    ...event,
    author: 'Membre 1',
    authorId: 'Membre 1',
    data: { ...event.data, text: 'Observateur 1 de Membre 1', source: 'Directeur 1', tags: ['Directeur 1'], writtenBy: 'Membre 1' },
  });
});

test('people met only as authors are learnt as "Personne n"', async () => {
  const a = new Anonymiser(people.slice(0, 1), async (ids) => new Map(ids.filter((id) => id === 'u000000000000009').map((id) => [id, { name: 'Paul Admin', email: 'paul@chu.example' }])));
  await a.learn(['u000000000000009', 'server']);
  expect(a.text('Paul Admin')).toBe('Personne 1');
  expect(a.text('server')).toBe('server');
  expect(a.text('demander à paul')).toBe('demander à Personne 1');
});
