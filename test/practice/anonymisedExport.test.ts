import { TimelineExportSchema, type TimelineExport } from '../../shared/timeline/exportDocument';
import { suiteServer } from '../timeline/helpers/suiteServer';
import { playScriptedIncident, type ScriptedIncident } from '../timeline/helpers/scriptedIncident';
import { pdfText } from '../timeline/helpers/pdfText';
import { type TestUser, createIncidentAsAdmin, setRole, testUser } from '../helpers/accounts';
import { cli } from '../timeline/helpers/cli';

const suite = suiteServer();
let scripted: ScriptedIncident;
let chatter: string;
let carol: TestUser;

/** Lower case, accents off: how the test looks for a name, as a reader would. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** What must not be found in an anonymised export: every name part, e-mail and user id of every person. */
function identifiers(): string[] {
  const { admin, alice, bob } = scripted.people;
  return [admin, alice, bob, carol].flatMap((p) => [p.name, ...p.name.split(/[^\p{L}]+/u).filter((w) => w.length >= 3), p.email, p.id]);
}

async function exportText(id: string, format: string, audience?: string): Promise<string> {
  const res = await suite().fetch(`/api/incidents/${id}/timeline?format=${format}${audience ? `&audience=${audience}` : ''}`);
  expect(res.status).toBe(200);
  if (format !== 'pdf') return res.text();
  const pdf = await pdfText(Buffer.from(await res.arrayBuffer()));
  return pdf.pages.join('\n');
}

beforeAll(async () => {
  scripted = await playScriptedIncident(suite());
  const url = suite().server.url;
  // A second incident where people are named inside free text, in other cases and without accents.
  carol = await testUser(url, 'Carole Dupré-Hérault');
  chatter = await createIncidentAsAdmin(url, 'Panne messagerie — signalée par Carole Dupré-Hérault');
  await testUser(url, 'Alice Lefèvre');
  expect((await setRole(url, chatter, carol.id, 'observer')).status).toBe(200);
  const texts = [
    `Appel de ALICE LEFEVRE : elle a prévenu carole dupre-herault (${carol.email.toUpperCase()})`,
    `Bob Œuvray injoignable ; écrire à ${scripted.people.bob.email} ou à l’administrator`,
    'Serveur de fichiers chiffré, aucun nom ici',
  ];
  for (const text of texts) {
    const res = await suite().fetch(`/api/incidents/${chatter}/log`, { as: 'Alice Lefèvre', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, category: 'information', source: 'Bob Œuvray' }) });
    expect(res.status).toBe(201);
  }
});

test.each(['json', 'csv', 'md', 'html', 'pdf'])('%s: the nominative export names people; the anonymised one names no one', async (format) => {
  for (const id of [scripted.id, chatter]) {
    const nominative = fold(await exportText(id, format));
    expect(nominative).toContain(fold('Alice Lefèvre'));
    expect(nominative).toContain(fold(scripted.people.admin.email));

    const anonymised = await exportText(id, format, 'anonymised');
    const folded = fold(anonymised).replace(/\s+/g, ' ');
    const leaks = identifiers().filter((x) => new RegExp(`(?<![\\p{L}\\p{N}])${fold(x).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(folded));
    expect(leaks).toEqual([]);
    expect(anonymised).toMatch(/Directeur 1/);
  }
});

test('anonymised JSON: one stable pseudonym per person, by role, and the texts keep their meaning', async () => {
  const res = await suite().fetch(`/api/incidents/${chatter}/timeline?format=json&audience=anonymised`);
  const doc: TimelineExport = TimelineExportSchema.parse(await res.json());
  expect(doc.audience).toBe('anonymised');
  // The administrator opened it and asked for the export: its first director.
  expect(doc.producedBy).toBe('Directeur 1');
  const logs = doc.events.flatMap((e) => (e.kind === 'log.entry' ? [e] : []));
  const alice = logs[0]!.author;
  expect(alice).toMatch(/^Membre \d+$/);
  expect(new Set(logs.map((e) => e.author))).toEqual(new Set([alice]));
  expect(logs.every((e) => e.authorId === alice && e.data.writtenBy === alice)).toBe(true);
  expect(logs.map((e) => e.data.text)).toEqual([
    `Appel de ${alice} : elle a prévenu Observateur 1 (Observateur 1)`,
    expect.stringMatching(/^(Membre \d+|Personne \d+) injoignable ; écrire à (Membre \d+|Personne \d+) ou à l’Directeur 1$/),
    'Serveur de fichiers chiffré, aucun nom ici',
  ]);
  expect(doc.incident.title).toBe('Panne messagerie — signalée par Observateur 1');

  const scriptedDoc = TimelineExportSchema.parse(await (await suite().fetch(`/api/incidents/${scripted.id}/timeline?format=json&audience=anonymised`)).json());
  const byId = new Map<string, string>();
  scriptedDoc.events.forEach((e, i) => {
    const original = scripted.expected[i]!;
    expect(e.kind).toBe(original.kind);
    // The same person always gets the same pseudonym, and two people never share one.
    const seen = byId.get(original.authorId);
    if (seen) expect(e.author).toBe(seen);
    else byId.set(original.authorId, e.author);
  });
  expect(new Set(byId.values()).size).toBe(byId.size);
  const assigned = scriptedDoc.events.find((e) => e.kind === 'task.assigned')!;
  const member = scriptedDoc.events.find((e) => e.kind === 'member.left')!;
  // Bob left the incident: a former member is "Personne n", everywhere he appears.
  expect(assigned.kind === 'task.assigned' && assigned.data.to).toMatch(/^Personne \d+$/);
  expect(member.kind === 'member.left' && member.data.member).toBe(assigned.kind === 'task.assigned' && assigned.data.to);
});

test('a bad audience is refused', async () => {
  const res = await suite().fetch(`/api/incidents/${chatter}/timeline?format=json&audience=everyone`);
  expect(res.status).toBe(400);
  expect((await cli(['export', chatter, '--audience', 'everyone'], { DATA_DIR: suite().dataDir })).code).toBe(2);
});

test('the CLI exports for an audience too', async () => {
  const nominative = await cli(['export', chatter, '--format', 'md', '--by', 'Alice Lefèvre'], { DATA_DIR: suite().dataDir });
  expect(nominative.code).toBe(0);
  expect(nominative.stdout).toContain('Alice Lefèvre');
  const run = await cli(['export', chatter, '--format', 'md', '--audience', 'anonymised', '--by', 'Alice Lefèvre'], { DATA_DIR: suite().dataDir });
  expect(run.code).toBe(0);
  const folded = fold(run.stdout);
  expect(identifiers().filter((x) => folded.includes(fold(x)))).toEqual([]);
  expect(run.stdout).toMatch(/\*\*Par\*\*\u202F: Membre \d+/);
});
