import fs from 'node:fs';
import path from 'node:path';
import type { Debrief } from '../../shared/exercise/debrief';
import { DebriefSchema } from '../../shared/exercise/debrief';
import type { IncidentMeta } from '../../shared/model/incident';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import { api } from '../helpers/accounts';
import { startTestServer, tempDir } from '../helpers/testServer';
import { type FakeClock, freezeClock } from '../helpers/fakeClock';
import { pdfText } from '../timeline/helpers/pdfText';
import { cli } from '../timeline/helpers/cli';
import { exerciseWorld, playerSession, waitForInject } from './exerciseWorld';

/**
 * The exercise debrief (issue 17, item 5): a scripted exercise through the real server, on a
 * fake wall clock (Date only: the server, its sockets and timers run for real), so every delay
 * between an inject and the cell's reaction is known to the second.
 */
jest.setTimeout(120_000);

/** Far offsets: the clock never fires them by itself, the animator fires each when the script says. */
const HOURS = 10 * 3600;
const DRILL = {
  id: 'debrief-drill',
  name: { fr: 'Exercice de RETEX', en: 'Debrief drill' },
  durationMinutes: 60,
  template: { id: 'drill', name: 'Drill', roles: [{ id: 'dir', label: 'Directeur' }], tasks: [{ title: 'Ouvrir la cellule', role: 'dir' }] },
  injects: [
    { id: 'call-ars', offset: HOURS, channel: 'authority', from: 'ARS', to: 'dir', text: 'L’ARS demande un point de situation', expected: 'ATTENDU-ARS: rappeler l’ARS' },
    { id: 'press', offset: HOURS + 60, channel: 'press', from: 'Journaliste', text: 'Un journaliste appelle', expected: 'Préparer un communiqué' },
    { id: 'ransom', offset: HOURS + 120, channel: 'technical', from: 'SOC', text: 'Note de rançon', expected: 'Décider de ne pas payer' },
    { id: 'silence', offset: HOURS + 180, channel: 'email', from: 'CERT Santé', text: 'Le CERT Santé écrit', expected: 'Répondre au CERT' },
    { id: 'dropped', offset: HOURS + 240, channel: 'phone', from: 'Préfecture', text: 'La préfecture appelle', expected: 'Rappeler' },
    { id: 'later', offset: HOURS + 300, channel: 'internal', from: 'Urgences', text: 'Les urgences saturent', expected: 'Plan blanc' },
  ],
};

function scenariosDir(): string {
  const dir = tempDir('crisis-scenarios-');
  fs.writeFileSync(path.join(dir, 'debrief-drill.json'), JSON.stringify(DRILL));
  return dir;
}

let clock: FakeClock | null = null;
afterEach(() => {
  clock?.restore();
  clock = null;
});

async function acknowledged(session: IncidentSession): Promise<void> {
  await session.whenAcknowledged();
}

/** Fires `injectId` now and returns its log entry's id, once the player sees it. */
async function fire(w: Awaited<ReturnType<typeof exerciseWorld>>, session: IncidentSession, injectId: string): Promise<string> {
  const reply = await w.animate(`/injects/${injectId}/fire`);
  expect(reply.status).toBe(200);
  return (await waitForInject(session, injectId)).id;
}

/**
 * The script, at speed ×2 (exercise delays are twice the real ones):
 * - call-ars: a reply in the log 30 s later (a second reply 30 s after that is ignored);
 * - press: a task linking it 45 s later (a decision based on it 10 s after that is ignored);
 * - ransom: a decision based on it 20 s later, 10 s of which paused (a reply 5 s after that is ignored);
 * - an improvised inject: a task created unlinked, then linked 15 s after the inject;
 * - silence: fired, answered only by an entry withdrawn at once; dropped: skipped; later: still pending.
 */
async function scriptedExercise(dataDir?: string) {
  clock = freezeClock();
  const server = await startTestServer({ scenariosDir: scenariosDir(), ...(dataDir ? { dataDir } : {}) });
  const w = await exerciseWorld(server.url, 'debrief-drill');
  const session = await playerSession(server.url, w.id);
  const c = clock;
  expect((await w.animate('/speed', { factor: 2 }, 'PUT')).status).toBe(200);
  expect((await w.animate('/start')).status).toBe(200);
  c.advance(60_000);

  const ars = await fire(w, session, 'call-ars');
  c.advance(30_000);
  session.appendLog({ text: 'ARS rappelée, point à 15 h', replyTo: ars });
  await acknowledged(session);
  c.advance(30_000);
  session.appendLog({ text: 'ARS rappelée une seconde fois', replyTo: ars });
  await acknowledged(session);

  const press = await fire(w, session, 'press');
  c.advance(45_000);
  session.createTask({ title: 'Préparer le communiqué de presse', logLinks: [press] });
  await acknowledged(session);
  c.advance(10_000);
  session.recordDecision({ title: 'Pas de déclaration avant 16 h', basedOn: [press] });
  await acknowledged(session);

  const ransom = await fire(w, session, 'ransom');
  // A pause of 10 s real time in the middle: 20 s real, but only 10 s of it at ×2.
  c.advance(5_000);
  expect((await w.animate('/pause')).status).toBe(200);
  c.advance(10_000);
  expect((await w.animate('/resume')).status).toBe(200);
  c.advance(5_000);
  session.recordDecision({ title: 'Ne pas payer la rançon', basedOn: [ransom] });
  await acknowledged(session);
  c.advance(5_000);
  session.appendLog({ text: 'Rançon : position transmise', replyTo: ransom });
  await acknowledged(session);

  const improvised = await w.animate<{ id: string }>('/injects', { channel: 'phone', from: 'Mairie', text: 'La mairie propose un gymnase', expected: 'Accepter' });
  expect(improvised.status).toBe(201);
  const improvisedEntry = (await waitForInject(session, improvised.body.id)).id;
  c.advance(5_000);
  const task = session.createTask({ title: 'Gymnase : voir avec la mairie' });
  await acknowledged(session);
  c.advance(10_000);
  session.updateTask(task.id, { logLinks: [improvisedEntry] });
  await acknowledged(session);

  // An answer its author withdrew (within the grace period) is no reaction.
  const silence = await fire(w, session, 'silence');
  const mistaken = session.appendLog({ text: 'Réponse au CERT, retirée', replyTo: silence });
  await acknowledged(session);
  session.log.array.delete(session.log.entries().findIndex((e) => e.id === mistaken.id), 1);
  await acknowledged(session);
  expect((await w.animate('/injects/dropped/skip')).status).toBe(200);
  const observe = (text: string, injectId: string | null) => api(server.url, `/api/incidents/${w.id}/exercise/observations`, { token: w.evaluator.token, body: { text, injectId } });
  expect((await observe('Rappel de l’ARS rapide et tracé', 'call-ars')).status).toBe(201);
  expect((await observe('Bonne circulation de l’information', null)).status).toBe(201);
  c.advance(60_000);
  return { server, w, session, improvisedId: improvised.body.id };
}

type World = Awaited<ReturnType<typeof scriptedExercise>>;

async function debrief(s: World, query: string, token = s.w.animator.token): Promise<Response> {
  return fetch(`${s.server.url}/api/incidents/${s.w.id}/exercise/debrief${query}`, { headers: { authorization: `Bearer ${token}` } });
}

async function debriefJson(s: World, query = ''): Promise<Debrief> {
  const res = await debrief(s, `?format=json${query}`);
  expect(res.status).toBe(200);
  return DebriefSchema.parse(await res.json());
}

function pairs(d: Debrief) {
  return Object.fromEntries(d.injects.map((i) => [i.improvised ? 'improvised' : i.id, { status: i.status, reaction: i.reaction && { kind: i.reaction.kind, text: i.reaction.text, real: i.reaction.delaySeconds, exercise: i.reaction.delayExerciseSeconds } }]));
}

test('the debrief pairs each inject with the first reaction that refers to it, with its delay in real and exercise time', async () => {
  const s = await scriptedExercise();
  const d = await debriefJson(s);
  expect(pairs(d)).toEqual({
    'call-ars': { status: 'fired', reaction: { kind: 'log', text: 'ARS rappelée, point à 15 h', real: 30, exercise: 60 } },
    press: { status: 'fired', reaction: { kind: 'task', text: 'Préparer le communiqué de presse', real: 45, exercise: 90 } },
    ransom: { status: 'fired', reaction: { kind: 'decision', text: 'Ne pas payer la rançon', real: 20, exercise: 20 } },
    improvised: { status: 'fired', reaction: { kind: 'task', text: 'Gymnase : voir avec la mairie', real: 15, exercise: 30 } },
    silence: { status: 'fired', reaction: null },
    dropped: { status: 'skipped', reaction: null },
    later: { status: 'pending', reaction: null },
  });
  const ars = d.injects.find((i) => i.id === 'call-ars')!;
  expect(ars.firedAtExerciseSeconds).toBeCloseTo(120, 3);
  expect(ars.expected).toBe('ATTENDU-ARS: rappeler l’ARS');
  expect([ars.to, ars.toLabel]).toEqual(['dir', 'Directeur']);
  expect(ars.reaction!.author).toBe('Joueuse');
  expect(ars.observations.map((o) => [o.text, o.author])).toEqual([['Rappel de l’ARS rapide et tracé', 'Évaluatrice']]);
  expect(d.observations.map((o) => o.text)).toEqual(['Bonne circulation de l’information']);
  expect(d.decisions.map((x) => [x.title, x.status, x.author])).toEqual([
    ['Pas de déclaration avant 16 h', 'proposed', 'Joueuse'],
    ['Ne pas payer la rançon', 'proposed', 'Joueuse'],
  ]);
  expect(d.lang).toBe('fr');
  expect(d.clock.factor).toBe(2);
  // The picture's lanes: three replies in the log (injects are not the cell's), the template's task and two more, two decisions.
  const lanes = (lane: string) => d.activity.filter((a) => a.lane === lane).length;
  expect([lanes('log'), lanes('task'), lanes('decision'), lanes('report')]).toEqual([3, 3, 2, 0]);

  // Markdown: the mark, each pair, the expected reaction beside it.
  const md = await (await debrief(s, '?format=md')).text();
  expect(md.startsWith('**EXERCICE — NE PAS ENVOYER**')).toBe(true);
  expect(md).toMatch(/call-ars[\s\S]*ATTENDU-ARS[\s\S]*Première réaction.*Entrée de main courante par \*\*Joueuse\*\*.*après 1 min d’exercice \(30 s en temps réel\)[\s\S]*ARS rappelée, point à 15 h/);
  expect(md).toMatch(/press[\s\S]*Première réaction.*Tâche par \*\*Joueuse\*\*.*après 1 min 30 s d’exercice \(45 s en temps réel\)/);
  expect(md).toMatch(/silence[\s\S]*aucune réaction ne s’y rapporte/);
  expect(md).toMatch(/dropped \(écarté\)[\s\S]*jamais parvenu aux joueurs/);
  expect(md).not.toContain('ARS rappelée une seconde fois');

  // English on request; the SVG draws a line per paired inject.
  const en = await (await debrief(s, '?format=md&lang=en')).text();
  expect(en).toContain('EXERCISE — DO NOT SEND');
  expect(en).toContain('**First reaction**: Log entry by **Joueuse**');
  const svg = await debrief(s, '?format=svg');
  expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  const svgText = await svg.text();
  expect(svgText).toContain('EXERCICE — NE PAS ENVOYER');
  expect(svgText.match(/<line [^>]*stroke="#1565c0"/g)).toHaveLength(4);
  expect(svgText).toContain('+1 min');

  // PDF: the mark on every page.
  for (const [lang, mark] of [['fr', 'EXERCICE — NE PAS ENVOYER'], ['en', 'EXERCISE — DO NOT SEND']] as const) {
    const pdf = await debrief(s, `?format=pdf&lang=${lang}`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const { total, pages } = await pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(total).toBe(pages.length);
    for (const page of pages) expect(page).toContain(mark);
    expect(pages.join('\n')).toContain('ARS rappelée, point à 15 h');
  }
});

test('the debrief is for animators and evaluators: players are refused, bad formats say so, a real incident has none, anonymised hides names', async () => {
  const s = await scriptedExercise();
  const asPlayer = await debrief(s, '?format=json', s.w.player.token);
  expect([asPlayer.status, ((await asPlayer.json()) as { error: { code: string } }).error.code]).toEqual([403, 'FORBIDDEN']);
  expect((await debrief(s, '?format=md', s.w.evaluator.token)).status).toBe(200);
  const bad = await debrief(s, '?format=docx');
  expect([bad.status, ((await bad.json()) as { error: { code: string } }).error.code]).toEqual([400, 'BAD_REQUEST']);
  const real = await api<IncidentMeta>(s.server.url, '/api/incidents', { token: s.w.admin, body: { title: 'Vraie crise' } });
  const onReal = await api<{ error: { code: string } }>(s.server.url, `/api/incidents/${real.body.id}/exercise/debrief`, { token: s.w.admin });
  expect([onReal.status, onReal.body.error.code]).toEqual([409, 'NOT_AN_EXERCISE']);

  const anonymised = await debriefJson(s, '&audience=anonymised');
  expect(anonymised.audience).toBe('anonymised');
  const text = JSON.stringify(anonymised);
  // (The animator's name is the French word of their role, which their pseudonym keeps.)
  for (const name of ['Joueuse', 'Évaluatrice', s.w.player.email, s.w.animator.email]) expect(text).not.toContain(name);
  expect(anonymised.producedBy).toBe('Animateur 1');
  expect(anonymised.injects.find((i) => i.id === 'call-ars')!.reaction!.author).toBe('Membre 1');
  expect(pairs(anonymised)).toEqual(pairs(await debriefJson(s)));
  const md = await (await debrief(s, '?format=md&audience=anonymised')).text();
  expect(md).not.toContain('Joueuse');
});

test('npx crisis-cell debrief writes a stored exercise\'s debrief, and rejects bad flags', async () => {
  const dataDir = tempDir();
  const s = await scriptedExercise(dataDir);
  const env = { DATA_DIR: dataDir };
  const md = await cli(['debrief', s.w.id], env);
  expect(md.code).toBe(0);
  expect(md.stdout).toContain('EXERCICE — NE PAS ENVOYER');
  expect(md.stdout).toContain('ARS rappelée, point à 15 h');
  expect(md.stderr).toMatch(/^7 injects \(5 fired, 4 with a reaction\) → stdout \(md\)\. Journal head /);
  const json = await cli(['debrief', s.w.id, '--format', 'json', '--anonymised', '--lang', 'en'], env);
  expect(json.code).toBe(0);
  const d = DebriefSchema.parse(JSON.parse(json.stdout));
  expect([d.lang, d.audience]).toEqual(['en', 'anonymised']);
  expect(json.stdout).not.toContain('Joueuse');
  const out = path.join(dataDir, 'retex.pdf');
  const pdf = await cli(['debrief', s.w.id, '--out', out], env);
  expect(pdf.code).toBe(0);
  expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');

  for (const args of [['--format', 'docx'], ['--lang', 'de'], ['--bogus']]) {
    const run = await cli(['debrief', s.w.id, ...args], env);
    expect([args, run.code]).toEqual([args, 2]);
    expect(run.stderr).toMatch(/^crisis-cell debrief: /);
  }
  const real = await api<IncidentMeta>(s.server.url, '/api/incidents', { token: s.w.admin, body: { title: 'Vraie crise' } });
  const onReal = await cli(['debrief', real.body.id], env);
  expect(onReal.code).not.toBe(0);
  expect(onReal.stderr).toContain('NOT_AN_EXERCISE');
});
