import type { Browser } from 'playwright-core';
import { createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { adminToken, api, setRole, testUser } from '../helpers/accounts';
import { browserSuite, closeSuiteBrowser, expectClean, openContext, openSuiteBrowser, signIn } from './harness';

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

beforeAll(async () => {
  ({ webRoot, browser } = await openSuiteBrowser());
});
afterAll(() => closeSuiteBrowser({ webRoot, browser }));

browserSuite('exercises in the incident list', () => {
  test('an exercise is listed apart from real incidents, marked as one, in the reader\'s language', async () => {
    const server = await startTestServer({ webRoot });
    const realId = await createIncident(server.url, 'Cyberattaque réelle');
    const created = await api<{ id: string; exercise: boolean }>(server.url, '/api/incidents', {
      token: await adminToken(server.url),
      body: { title: 'Exercice CaRE 2026', scenario: 'hospital-ransomware', language: 'fr' },
    });
    expect(created.status).toBe(201);
    const alice = await testUser(server.url, 'Alice Martin');
    expect((await setRole(server.url, created.body.id, alice.id, 'member')).status).toBe(200);

    for (const [lang, mark] of [['fr', 'EXERCICE'], ['en', 'EXERCISE']] as const) {
      const w = await openContext(browser, { lang });
      onTeardown(() => w.context.close().catch(() => undefined));
      await signIn(w, server.url, alice.email);
      await w.page.goto(`${server.url}/#/`);
      const exercises = w.page.getByTestId('incidents-exercises');
      await exercises.waitFor();
      expect(await exercises.locator('[data-testid="incident-item"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-id')))).toEqual([created.body.id]);
      expect(await exercises.getByTestId('exercise-mark').innerText()).toBe(mark);
      // The real incident is in the open group, unmarked; the exercise is not there.
      const open = w.page.getByTestId('incidents-open');
      expect(await open.locator('[data-testid="incident-item"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-id')))).toEqual([realId]);
      expect(await open.getByTestId('exercise-mark').count()).toBe(0);
      await expectClean(w);
    }
  });
});
