import fs from 'node:fs';
import path from 'node:path';
import type { IncidentMeta } from '../../shared/model/incident';
import type { TemplateList } from '../../shared/templates/incidentTemplate';
import { startTestServer, tempDir } from '../helpers/testServer';
import { adminToken, api } from '../helpers/accounts';

/** An organisation's folder with a template of no declared sector. */
function organisationTemplates(): string {
  const dir = tempDir('crisis-templates-');
  fs.writeFileSync(path.join(dir, 'flood.json'), JSON.stringify({ id: 'flood', name: 'Inondation', tasks: [{ title: 'Mettre les serveurs hors d’eau' }] }));
  return dir;
}

test('a template that declares the health sector ticks "health establishment" on the incidents made from it; the body may say otherwise; other templates tick nothing', async () => {
  const server = await startTestServer({ templatesDir: organisationTemplates() });
  const token = await adminToken(server.url);

  const list = await api<TemplateList>(server.url, '/api/templates', { token });
  expect(Object.fromEntries(list.body.templates.map((t) => [t.id, t.sectors]))).toEqual({ 'cyberattack-healthcare': ['health'], flood: [] });

  const create = async (body: Record<string, unknown>) => {
    const reply = await api<IncidentMeta>(server.url, '/api/incidents', { token, body: { title: 'Incident', ...body } });
    expect(reply.status).toBe(201);
    const meta = await api<{ meta: IncidentMeta }>(server.url, `/api/incidents/${reply.body.id}`, { token });
    return { created: reply.body, stored: meta.body.meta };
  };

  const health = await create({ template: 'cyberattack-healthcare' });
  expect(health.created.healthSector).toBe(true);
  expect(health.stored.healthSector).toBe(true);

  const overridden = await create({ template: 'cyberattack-healthcare', healthSector: false });
  expect(overridden.stored.healthSector).toBe(false);

  const flood = await create({ template: 'flood' });
  expect(flood.stored.healthSector).toBeUndefined();

  const byHand = await create({ healthSector: true });
  expect(byHand.stored.healthSector).toBe(true);

  // A sector the schema does not know makes the file a problem, not a template.
  const dir = organisationTemplates();
  fs.writeFileSync(path.join(dir, 'odd.json'), JSON.stringify({ id: 'odd', name: 'Odd', sectors: ['banking'], tasks: [{ title: 'x' }] }));
  const other = await startTestServer({ templatesDir: dir });
  const problems = (await api<TemplateList>(other.url, '/api/templates', { token: await adminToken(other.url) })).body.problems;
  expect(problems).toEqual([expect.objectContaining({ code: 'TEMPLATE_INVALID', file: path.join(dir, 'odd.json') })]);
});
