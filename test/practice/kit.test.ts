import { PassThrough } from 'node:stream';
import { IncidentStateSchema } from '../../shared/model/incident';
import type { IncidentMeta } from '../../shared/model/incident';
import { suiteServer } from '../timeline/helpers/suiteServer';
import { pdfText } from '../timeline/helpers/pdfText';
import { adminUser, createIncidentAsAdmin, createUser, setRole, testUser } from '../helpers/accounts';
import { type KitInput, writeKitPdf } from '../../server/kit/kitPdf';
import { cli } from '../timeline/helpers/cli';
import { connectClient, createIncident } from '../helpers/testServer';

const suite = suiteServer();

/** The text of a PDF, one string, whitespace (line breaks inside table cells) collapsed. */
async function text(pdf: Buffer): Promise<{ all: string; pages: string[] }> {
  const { pages } = await pdfText(pdf);
  return { all: pages.join('\n').replace(/\s+/g, ' '), pages };
}

test('the kit of a template incident: members with roles and e-mails, open tasks only, no report yet, blank log sheets', async () => {
  const url = suite().server.url;
  const alice = await testUser(url, 'Alice Lefèvre');
  const res = await suite().fetch('/api/incidents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Rançongiciel — CH de Test', template: 'cyberattack-healthcare' }) });
  expect(res.status).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  expect((await setRole(url, id, alice.id, 'member')).status).toBe(200);
  const observer = await createUser(url, 'Oscar Observateur');
  expect((await setRole(url, id, observer.id, 'observer')).status).toBe(200);

  // Alice finishes one task and cancels another: neither is printed.
  const session = await suite().client('Alice Lefèvre').openIncident(id);
  await session.whenSynced();
  const tasks = session.tasks.list();
  const done = tasks.find((t) => t.title.startsWith('Isoler le réseau'))!;
  const cancelled = tasks.find((t) => t.title.startsWith('Prévenir l’assureur'))!;
  session.moveTask(done.id, 'done');
  session.moveTask(cancelled.id, 'cancelled');
  await session.whenAcknowledged();
  const state = IncidentStateSchema.parse(await (await suite().fetch(`/api/incidents/${id}`)).json());
  expect(state.tasks.filter((t) => t.status === 'done' || t.status === 'cancelled')).toHaveLength(2);

  const kit = await suite().fetch(`/api/incidents/${id}/kit.pdf?sheets=3`);
  expect(kit.status).toBe(200);
  expect(kit.headers.get('content-type')).toBe('application/pdf');
  expect(kit.headers.get('content-disposition')).toMatch(new RegExp(`attachment; filename="incident-${id}-kit-\\d{8}T\\d{6}Z\\.pdf"`));
  const { all, pages } = await text(Buffer.from(await kit.arrayBuffer()));
  for (const section of ['Kit papier de la cellule de crise', 'Contacts de la cellule', 'Tâches ouvertes', 'Dernier point de situation publié', 'Aucun point de situation publié.']) expect(all).toContain(section);
  const admin = await adminUser(url);
  for (const [name, role, email] of [[admin.name, 'Directeur', admin.email], ['Alice Lefèvre', 'Membre', alice.email], ['Oscar Observateur', 'Observateur', observer.email]]) {
    expect(all).toContain(`${name} ${role} ${email}`);
  }
  for (const t of state.tasks) {
    if (t.status === 'todo') expect(all).toContain(t.title);
    else expect(all).not.toContain(t.title);
  }
  // Three blank sheets, each with the log's columns.
  const sheets = pages.filter((p) => p.includes('Main courante — feuille papier'));
  expect(sheets).toHaveLength(3);
  for (const p of sheets) for (const column of ['Heure', 'Source / rédacteur', 'Catégorie', 'Gravité', 'Vérification', 'Clé', 'Texte']) expect(p).toContain(column);
  expect(sheets[2]).toContain('Feuille 3/3');

  // The CLI prints the same kit from the store.
  const run = await cli(['kit', id, '--sheets', '1'], { DATA_DIR: suite().dataDir });
  expect(run.code).toBe(0);
  const printed = await text(run.bytes);
  expect(printed.all).toContain(`Alice Lefèvre Membre ${alice.email}`);
  expect(printed.all).toContain(state.tasks.find((t) => t.status === 'todo')!.title);
  expect(printed.all).not.toContain(done.title);
  expect(printed.pages.filter((p) => p.includes('Main courante — feuille papier'))).toHaveLength(1);

  const english = await text(Buffer.from(await (await suite().fetch(`/api/incidents/${id}/kit.pdf?lang=en&sheets=1`)).arrayBuffer()));
  for (const section of ['Crisis cell paper kit', 'Cell contacts', 'Open tasks', 'No published situation report.', 'Log — paper sheet', 'Source / writer']) expect(english.all).toContain(section);
});

test('only members get the kit; bad parameters are refused', async () => {
  const url = suite().server.url;
  const id = await createIncidentAsAdmin(url, 'Kit réservé');
  const stranger = await createUser(url, 'Sam Étranger');
  const refused = await fetch(`${url}/api/incidents/${id}/kit.pdf`, { headers: { authorization: `Bearer ${stranger.token}` } });
  expect(refused.status).toBe(403);
  expect((await suite().fetch(`/api/incidents/${id}/kit.pdf?sheets=500`)).status).toBe(400);
  expect((await suite().fetch(`/api/incidents/${id}/kit.pdf?lang=de`)).status).toBe(400);
  expect((await suite().fetch(`/api/incidents/zzzzzzzzzzzzzzzz/kit.pdf`)).status).toBe(404);
});

test('the latest published situation report is printed when there is one', async () => {
  const meta: IncidentMeta = { id: 'abcdefgh12345678', title: 'Incident de test', status: 'open', severity: 'high', detectedAt: null, openedAt: '2026-03-12T08:00:00.000Z', closedAt: null };
  const input: KitInput = {
    incident: meta,
    members: [],
    tasks: [],
    latestReport: { publishedAt: '2026-03-12T10:00:00.000Z', title: 'Point de 11 h', sections: [{ heading: 'Situation', text: 'Urgences en mode dégradé.' }, { heading: 'Prochaines étapes', text: 'Reprise de la messagerie à 14 h.' }] },
    producedAt: new Date('2026-03-12T10:30:00.000Z'),
    producedBy: 'Test',
    timeZone: 'Europe/Paris',
    lang: 'fr',
    blankSheets: 0,
  };
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeKitPdf(input, out);
  const { all } = await text(Buffer.concat(chunks));
  expect(all).toContain('Point de 11 h — Publié le 12 mars 2026, 11:00:00');
  for (const s of ['Situation', 'Urgences en mode dégradé.', 'Prochaines étapes', 'Reprise de la messagerie à 14 h.', 'Aucun membre.', 'Aucune tâche ouverte.']) expect(all).toContain(s);
  expect(all).not.toContain('Aucun point de situation publié');
  expect(all).not.toContain('Main courante — feuille papier');
});

test('the kit served for an incident prints its latest published situation report, not a draft', async () => {
  const { server } = suite();
  const id = await createIncident(server.url, 'Kit et points de situation');
  const alice = await connectClient(server.url, 'Alice').openIncident(id);
  await alice.whenSynced();
  const first = alice.createReport({ windowFrom: '2026-03-12T08:00:00.000Z', windowTo: '2026-03-12T10:00:00.000Z', sections: { conditions: 'Urgences en mode dégradé.', needs: 'Renfort au standard.' } });
  alice.publishReport(first.id);
  const second = alice.createReport({ windowFrom: '2026-03-12T10:00:00.000Z', windowTo: '2026-03-12T12:00:00.000Z', sections: { conditions: 'Brouillon pas encore relu.' } });
  await alice.whenAcknowledged();
  expect(alice.reports.get(second.id)!.status).toBe('draft');

  const { all } = await text(Buffer.from(await (await suite().fetch(`/api/incidents/${id}/kit.pdf?sheets=0`, { as: 'Alice' })).arrayBuffer()));
  expect(all).toContain(`Point de situation n° ${first.number}`);
  for (const s of ['Situation', 'Urgences en mode dégradé.', 'Besoins', 'Renfort au standard.']) expect(all).toContain(s);
  expect(all).not.toContain('Brouillon pas encore relu.');
  expect(all).not.toContain('Aucun point de situation publié');
});
