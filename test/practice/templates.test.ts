import fs from 'node:fs';
import path from 'node:path';
import { IncidentStateSchema } from '../../shared/model/incident';
import { TimelineExportSchema } from '../../shared/timeline/exportDocument';
import { IncidentTemplateFileSchema, type TemplateList, dueOffsetMs, localText } from '../../shared/templates/incidentTemplate';
import { startTestServer, tempDir } from '../helpers/testServer';
import { adminToken, adminUser, api } from '../helpers/accounts';

const SHIPPED = IncidentTemplateFileSchema.parse(JSON.parse(fs.readFileSync(path.join(__dirname, '../../templates/cyberattack-healthcare.json'), 'utf8')));

/** An organisation's folder: one good template, one that breaks the schema, one that is not JSON. */
function organisationTemplates(): string {
  const dir = tempDir('crisis-templates-');
  fs.writeFileSync(
    path.join(dir, 'flood.json'),
    JSON.stringify({ id: 'flood', name: 'Inondation', roles: [{ id: 'log', label: 'Logistique' }], tasks: [{ title: 'Mettre les serveurs hors d’eau', role: 'log', due: '+2h', priority: 'high' }, { title: { fr: 'Prévenir la préfecture', en: 'Call the prefecture' } }] }),
  );
  fs.writeFileSync(path.join(dir, 'bad-role.json'), JSON.stringify({ id: 'bad-role', name: 'Bad', tasks: [{ title: 'x', role: 'nobody', due: 'tomorrow' }] }));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{ "id": "broken", ');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a template, not read');
  return dir;
}

test('the shipped template parses and covers the healthcare cyberattack essentials', () => {
  const titles = SHIPPED.tasks.map((t) => localText(t.title, 'fr')).join('\n');
  for (const word of ['Isoler le réseau', 'preuves', 'plainte', 'CNIL', 'CERT Santé', 'ANSSI', 'procédures dégradées', 'patients', 'personnel', 'redémarrage']) expect(titles).toContain(word);
  // Every task and role has its English text.
  for (const t of SHIPPED.tasks) expect(localText(t.title, 'en')).not.toBe(localText(t.title, 'fr'));
  for (const r of SHIPPED.roles) expect(localText(r.label, 'en')).not.toBe(localText(r.label, 'fr'));
});

describe('with an organisation folder holding bad files', () => {
  let url: string;
  let token: string;

  beforeEach(async () => {
    const server = await startTestServer({ templatesDir: organisationTemplates() });
    url = server.url;
    token = await adminToken(url);
  });

  test('bad templates are reported with their code and file; the others load; the server runs', async () => {
    const list = await api<TemplateList>(url, '/api/templates', { token });
    expect(list.status).toBe(200);
    expect(list.body.templates.map((t) => t.id).sort()).toEqual(['cyberattack-healthcare', 'flood']);
    const problems = list.body.problems.map((p) => ({ code: p.code, file: path.basename(p.file), message: p.message }));
    expect(problems).toEqual([
      { code: 'TEMPLATE_INVALID', file: 'bad-role.json', message: expect.stringMatching(/tasks\.0\.due: expected an offset.*tasks\.0\.role: unknown role nobody|tasks\.0\.role: unknown role nobody/) },
      { code: 'TEMPLATE_INVALID', file: 'broken.json', message: expect.stringContaining('not readable JSON') },
    ]);
    const shipped = list.body.templates.find((t) => t.id === 'cyberattack-healthcare')!;
    expect(shipped.taskCount).toBe(SHIPPED.tasks.length);
    expect(shipped.name.en).toBe(localText(SHIPPED.name, 'en'));
    // The organisation's template creates incidents too; English falls back to French.
    const created = await api<{ id: string }>(url, '/api/incidents', { token, body: { title: 'Crue', template: 'flood', language: 'en' } });
    expect(created.status).toBe(201);
    const state = IncidentStateSchema.parse((await api(url, `/api/incidents/${created.body.id}`, { token })).body);
    expect(state.tasks.map((t) => [t.title, t.assignee, t.priority])).toEqual([
      ['Mettre les serveurs hors d’eau', 'Logistique', 'high'],
      ['Call the prefecture', null, 'normal'],
    ]);
  });

  test('an unknown template is refused and creates nothing', async () => {
    const before = (await api<{ incidents: unknown[] }>(url, '/api/incidents', { token })).body.incidents.length;
    for (const template of ['bad-role', 'no-such-template']) {
      const reply = await api<{ error: { code: string } }>(url, '/api/incidents', { token, body: { title: 'X', template } });
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('NOT_FOUND');
    }
    const bad = await api<{ code: string }>(url, '/api/incidents', { token, body: { title: 'X', template: '../etc/passwd' } });
    expect(bad.status).toBe(400);
    expect((await api<{ incidents: unknown[] }>(url, '/api/incidents', { token })).body.incidents).toHaveLength(before);
  });

  test('an incident from the shipped template holds exactly its tasks, journaled with the creator as author', async () => {
    const admin = await adminUser(url);
    const created = await api<{ id: string; openedAt: string }>(url, '/api/incidents', { token, body: { title: 'Rançongiciel', template: 'cyberattack-healthcare' } });
    expect(created.status).toBe(201);
    const { id, openedAt } = created.body;
    const state = IncidentStateSchema.parse((await api(url, `/api/incidents/${id}`, { token })).body);
    const roles = new Map(SHIPPED.roles.map((r) => [r.id, localText(r.label, 'fr')]));
    const expected = SHIPPED.tasks.map((t) => ({
      title: localText(t.title, 'fr'),
      description: localText(t.description, 'fr'),
      priority: t.priority,
      status: 'todo',
      assignee: t.role ? roles.get(t.role)! : null,
      dueAt: t.due ? new Date(Date.parse(openedAt) + dueOffsetMs(t.due)).toISOString() : null,
      createdBy: admin.name,
    }));
    const actual = state.tasks.map(({ title, description, priority, status, assignee, dueAt, createdBy }) => ({ title, description, priority, status, assignee, dueAt, createdBy }));
    expect(actual).toEqual(expected);
    // CNIL: 72 hours after the opening.
    const cnil = state.tasks.find((t) => t.title.includes('CNIL'))!;
    expect(Date.parse(cnil.dueAt!) - Date.parse(openedAt)).toBe(72 * 3_600_000);

    const exported = await fetch(`${url}/api/incidents/${id}/timeline?format=json`, { headers: { authorization: `Bearer ${token}` } });
    const timeline = TimelineExportSchema.parse(await exported.json());
    const created2 = timeline.events.filter((e) => e.kind === 'task.created');
    expect(created2.map((e) => (e.kind === 'task.created' ? e.data.title : '')).sort()).toEqual(expected.map((t) => t.title).sort());
    for (const e of created2) expect([e.authorId, e.author, e.ref?.part]).toEqual([admin.id, admin.name, 'tasks']);
  });

  test('English tasks when asked', async () => {
    const created = await api<{ id: string }>(url, '/api/incidents', { token, body: { title: 'Ransomware', template: 'cyberattack-healthcare', language: 'en' } });
    const state = IncidentStateSchema.parse((await api(url, `/api/incidents/${created.body.id}`, { token })).body);
    expect(state.tasks.map((t) => t.title)).toEqual(SHIPPED.tasks.map((t) => localText(t.title, 'en')));
    expect(state.tasks.find((t) => t.title.startsWith('Notify the CNIL'))!.assignee).toBe('Data protection officer (DPO)');
  });
});

test('a TEMPLATES_DIR that does not exist is reported, and the shipped templates still load', async () => {
  const server = await startTestServer({ templatesDir: path.join(tempDir(), 'missing') });
  const list = await api<TemplateList>(server.url, '/api/templates', { token: await adminToken(server.url) });
  expect(list.body.templates.map((t) => t.id)).toEqual(['cyberattack-healthcare']);
  expect(list.body.problems.map((p) => p.code)).toEqual(['TEMPLATES_DIR_UNREADABLE']);
});
