import type { Browser, Page } from 'playwright-core';
import { api, adminToken, createUser, setRole } from '../helpers/accounts';
import { startTestServer } from '../helpers/testServer';
import { Watched, browserSuite, closeSuiteBrowser, entryLocator, openContext, openRoom, openSuiteBrowser, signIn, waitLive } from './harness';
import { seedDecision, seedLog, seedTask } from './seed';

jest.setTimeout(300_000);

let webRoot = '';
let browser: Browser;

const ROOM_TABS = ['log', 'tasks', 'decisions', 'reports', 'regulatory', 'timeline', 'members', 'audit'] as const;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

interface AxeResult {
  violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

/**
 * axe-core's serious and critical violations on the page as it is. axe is injected as a script
 * tag, which the server's strict CSP would refuse: these contexts bypass the CSP (the CSP itself
 * is checked by the room tests).
 */
async function seriousViolations(page: Page, where: string): Promise<Array<Violation & { where: string }>> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.map(String).join(' ')) }));
  });
  return found.map((v) => ({ where, ...v }));
}

browserSuite('accessibility (axe-core)', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });
  afterAll(async () => {
    await closeSuiteBrowser({ webRoot, browser });
  });

  test('no serious or critical violation on any view, in English and in French', async () => {
    const server = await startTestServer({ webRoot });
    const created = await api<{ id: string }>(server.url, '/api/incidents', { token: await adminToken(server.url), body: { title: 'Panne électrique — bloc opératoire', severity: 'high' } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const now = new Date();
    await seedLog(server, id, [
      { at: new Date(now.getTime() - 30 * 60_000), author: 'Dr Anne Martin', input: { text: 'Groupe électrogène démarré, bascule faite.', category: 'alert', severity: 'high', source: 'Services techniques' } },
      { at: new Date(now.getTime() - 20 * 60_000), author: 'Cédric Le Goff', input: { text: 'Bloc 3 : intervention reportée.', category: 'information', severity: 'low' } },
    ]);
    await seedTask(server, id, { title: 'Vérifier les onduleurs', status: 'in_progress', priority: 'high', assignee: 'Cédric Le Goff' }, 'Dr Anne Martin', now);
    await seedDecision(server, id, { title: 'Reporter les interventions programmées', statement: 'Jusqu’à nouvel ordre.', rationale: 'Alimentation instable.', status: 'approved' }, 'Dr Anne Martin', now);
    const admin = await createUser(server.url, 'Dr Anne Martin', { admin: true });
    expect((await setRole(server.url, id, admin.id, 'director')).status).toBe(200);

    const all: Array<Violation & { where: string }> = [];
    for (const lang of ['en', 'fr'] as const) {
      const visitor: Watched = await openContext(browser, { lang, bypassCSP: true });
      await visitor.page.goto(`${server.url}/`);
      await visitor.page.getByTestId('login-page').waitFor();
      all.push(...(await seriousViolations(visitor.page, `${lang} login`)));
      await visitor.context.close();

      const w = await openContext(browser, { lang, bypassCSP: true });
      await signIn(w, server.url, admin.email);
      const { page } = w;
      await page.goto(`${server.url}/#/`);
      await page.locator(`[data-testid="incident-item"][data-id="${id}"]`).waitFor();
      all.push(...(await seriousViolations(page, `${lang} list`)));
      await page.goto(`${server.url}/#/account`);
      await page.locator('.list-main').waitFor();
      all.push(...(await seriousViolations(page, `${lang} account`)));
      await page.goto(`${server.url}/#/admin`);
      await page.locator('[data-testid="user"]').first().waitFor();
      all.push(...(await seriousViolations(page, `${lang} admin`)));

      await openRoom(page, server.url, id, 'log');
      await waitLive(page);
      await entryLocator(page, 'Bloc 3').waitFor();
      for (const tab of ROOM_TABS) {
        if (tab !== 'log') {
          await page.getByTestId(`tab-${tab}`).click();
          await page.locator(`[data-testid="tab-${tab}"][aria-selected="true"]`).waitFor();
        }
        all.push(...(await seriousViolations(page, `${lang} room ${tab}`)));
      }
      // The handover dialog, open.
      await page.getByTestId('handover-button').click();
      await page.getByTestId('handover-panel').waitFor();
      all.push(...(await seriousViolations(page, `${lang} handover dialog`)));
      await page.keyboard.press('Escape');
      await page.getByTestId('handover-panel').waitFor({ state: 'detached' });

      await page.goto(`${server.url}/#/incident/${id}/management`);
      await page.locator('[data-testid="mgmt-decision"]').first().waitFor();
      all.push(...(await seriousViolations(page, `${lang} management`)));
      await w.context.close();
    }
    expect(all).toEqual([]);
  });

  test('a dialog keeps the focus inside while open and gives it back when closed', async () => {
    const server = await startTestServer({ webRoot });
    const created = await api<{ id: string }>(server.url, '/api/incidents', { token: await adminToken(server.url), body: { title: 'Panne électrique', severity: 'high' } });
    const id = created.body.id;
    const user = await createUser(server.url, 'Dr Anne Martin');
    expect((await setRole(server.url, id, user.id, 'director')).status).toBe(200);
    const w = await openContext(browser, { lang: 'en' });
    await signIn(w, server.url, user.email);
    const { page } = w;
    await openRoom(page, server.url, id, 'log');
    await waitLive(page);
    const opener = page.getByTestId('handover-button');
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('handover-panel');
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.tagName === 'DIALOG' && (d as HTMLDialogElement).open && d.matches(':modal'))).toBe(true);
    // Tab as far as one likes: the focus never leaves the dialog.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const inside = await page.evaluate(() => {
        const active = document.activeElement;
        const d = document.querySelector('[data-testid="handover-panel"]');
        return active === document.body || (d !== null && d.contains(active));
      });
      expect(inside).toBe(true);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((b) => b === document.activeElement)).toBe(true);
    await w.context.close();
  });
});
