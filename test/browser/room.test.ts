import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createIncident, onTeardown, startTestServer, tempDir } from '../helpers/testServer';
import type { RunningServer } from '../../server/createServer';
import {
  Watched,
  browserSuite,
  buildWebRoot,
  entryLocator,
  launchChromium,
  openContext,
  openRoom,
  pageCspViolations,
  postEntry,
  waitLive,
  withSecurityHeaders,
} from './harness';
import { seedDecision, seedLog, seedManyEntries, seedTask } from './seed';

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

async function serve(options: { csp?: boolean; dataDir?: string; port?: number } = {}): Promise<RunningServer> {
  const server = await startTestServer({ webRoot, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.port ? { port: options.port } : {}) });
  if (options.csp !== false) withSecurityHeaders(server);
  return server;
}

async function person(name: string, extra: Parameters<typeof openContext>[1] = {}): Promise<Watched> {
  const w = await openContext(browser, { name, ...extra });
  onTeardown(() => w.context.close().catch(() => undefined));
  return w;
}

async function logTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="entry-text"]').allTextContents();
}

async function expectClean(w: Watched): Promise<void> {
  expect(w.dialogs).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.cspViolations).toEqual([]);
  expect(await pageCspViolations(w.page)).toEqual([]);
}

browserSuite('browser client', () => {
  beforeAll(async () => {
    webRoot = buildWebRoot();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (webRoot) fs.rmSync(webRoot, { recursive: true, force: true });
  });

  test('two people on the same incident see each other’s log entry, task move, decision and presence live', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person('Alice Martin');
    const bob = await person('Bob Le Goff');
    await openRoom(alice.page, server.url, id, 'log');
    await openRoom(bob.page, server.url, id, 'log');
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);

    // Log: typed in the quick-entry line with prefixes, Enter posts.
    await expect(alice.page.getByTestId('quick-entry')).toBeFocusedSoon();
    await postEntry(alice.page, '#alerte !!! @DSI Messagerie coupée sur tout le site');
    const seen = entryLocator(bob.page, 'Messagerie coupée sur tout le site');
    await seen.waitFor();
    await expect(seen.locator('.badge.cat-alert')).toHaveCount(1);
    await expect(seen.locator('.sev-critical')).toHaveCount(1);
    expect(await seen.locator('.source').textContent()).toContain('DSI');

    // Presence: each sees the other and the view they are in.
    await bob.page.locator('[data-testid="presence"] [data-name="Alice Martin"][data-view="log"]').waitFor();

    // Tasks: Alice creates one; Bob moves it by keyboard; Alice moves it by drag and drop.
    await alice.page.getByTestId('tab-tasks').click();
    await alice.page.locator('#new-task-title').fill('Isoler le VLAN imagerie');
    await alice.page.locator('#new-task-title').press('Enter');
    await bob.page.getByTestId('tab-tasks').click();
    await alice.page.locator('[data-testid="presence"] [data-name="Bob Le Goff"][data-view="tasks"]').waitFor();
    const bobCard = bob.page.locator('[data-testid="column-todo"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' });
    await bobCard.waitFor();
    await bobCard.focus();
    await bob.page.keyboard.press('Shift+ArrowRight');
    await alice.page.locator('[data-testid="column-in_progress"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' }).waitFor();
    await expect(bob.page.locator('[data-testid="column-in_progress"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' })).toBeFocusedSoon();

    await alice.page
      .locator('[data-testid="column-in_progress"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' })
      .dragTo(alice.page.locator('[data-testid="column-blocked"]'));
    await bob.page.locator('[data-testid="column-blocked"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' }).waitFor();

    // Decisions: Alice records one, Bob revokes it; both keep the history visible.
    await alice.page.getByTestId('tab-decisions').click();
    await bob.page.getByTestId('tab-decisions').click();
    await alice.page.locator('#new-decision-title').fill('Couper l’accès internet du CHU');
    await alice.page.getByLabel('Énoncé').fill('Coupure immédiate des flux sortants');
    await alice.page.getByLabel('Motifs').fill('Exfiltration suspectée');
    await alice.page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    const bobDecision = bob.page.locator('[data-testid="decision"]', { hasText: 'Couper l’accès internet du CHU' });
    await bobDecision.waitFor();
    expect(await bobDecision.getAttribute('data-status')).toBe('approved');
    expect(await bobDecision.textContent()).toContain('Alice Martin');
    await bobDecision.getByPlaceholder('motif du changement (facultatif)').fill('Remplacée par un filtrage');
    await bobDecision.locator('[data-action="revoked"]').click();
    const aliceDecision = alice.page.locator('[data-testid="decision"][data-status="revoked"]', { hasText: 'Couper l’accès internet du CHU' });
    await aliceDecision.waitFor();
    await expect(aliceDecision.locator('.history-item')).toHaveCount(2);
    expect(await aliceDecision.locator('.history').textContent()).toContain('Remplacée par un filtrage');

    await expectClean(alice);
    await expectClean(bob);
  });

  test('offline: three entries written without the network are kept, then merged with nothing lost', async () => {
    const server = await serve();
    const id = await createIncident(server.url);
    const alice = await person('Alice Martin');
    const bob = await person('Bob Le Goff');
    await openRoom(alice.page, server.url, id, 'log');
    await openRoom(bob.page, server.url, id, 'log');
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);
    await postEntry(alice.page, 'Avant la coupure');
    await entryLocator(bob.page, 'Avant la coupure').waitFor();

    await alice.context.setOffline(true);
    // The socket must really drop (the page hears the browser's 'offline' and disconnects).
    await alice.page.waitForSelector('[data-testid="connection"]:not([data-status="live"])');
    for (const text of ['Hors ligne 1 : standard saturé', 'Hors ligne 2 : urgences en mode dégradé', 'Hors ligne 3 : appel ARS']) await postEntry(alice.page, text);
    await postEntry(bob.page, 'Pendant la coupure, côté Bob');

    const indicator = alice.page.getByTestId('connection');
    expect(Number(await indicator.getAttribute('data-pending'))).toBeGreaterThanOrEqual(3);
    expect(await indicator.textContent()).toMatch(/3 modifications en attente/);
    await expect(alice.page.locator('[data-testid="log-entry"]:has([data-waiting])')).toHaveCount(3);
    await entryLocator(alice.page, 'Hors ligne 3 : appel ARS').waitFor();
    await bob.page.waitForTimeout(500);
    expect(await logTexts(bob.page)).not.toContain('Hors ligne 1 : standard saturé');

    await alice.context.setOffline(false);
    await waitLive(alice.page);
    await alice.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    await entryLocator(bob.page, 'Hors ligne 3 : appel ARS').waitFor();
    await entryLocator(alice.page, 'Pendant la coupure, côté Bob').waitFor();
    await expect(alice.page.locator('[data-testid="log-entry"]:has([data-waiting])')).toHaveCount(0);

    const a = await logTexts(alice.page);
    const b = await logTexts(bob.page);
    expect(a).toEqual(b);
    expect(a).toHaveLength(5);
    const state = (await (await fetch(`${server.url}/api/incidents/${id}`)).json()) as { log: Array<{ text: string }> };
    expect(state.log.map((e) => e.text).sort()).toEqual([...a].sort());
    await expectClean(alice);
    await expectClean(bob);
  });

  test('user text is rendered as text: markup in an entry, a task and a title runs nothing', async () => {
    // Without the CSP: the rendering alone must be safe.
    const server = await serve({ csp: false });
    const payload = '<img src=x onerror=alert(1)>';
    const id = await createIncident(server.url, `<img src=x onerror=alert(3)> Incident`);
    const alice = await person('Alice <b onmouseover=alert(4)>');
    const bob = await person('Bob');
    await openRoom(alice.page, server.url, id, 'log');
    await openRoom(bob.page, server.url, id, 'log');
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);
    await postEntry(alice.page, payload);
    await postEntry(alice.page, '@<script>alert(2)</script> <svg/onload=alert(5)> source piégée');

    for (const w of [alice, bob]) {
      const row = entryLocator(w.page, payload);
      await row.waitFor();
      expect(await row.locator('[data-testid="entry-text"]').textContent()).toBe(payload);
      await entryLocator(w.page, 'source piégée').waitFor();
      expect(await w.page.locator('#log-list img, #log-list script, #log-list svg, h1 img, .presence b').count()).toBe(0);
      expect(await w.page.locator('h1').first().textContent()).toContain('<img src=x onerror=alert(3)>');
    }
    await alice.page.getByTestId('tab-tasks').click();
    await alice.page.locator('#new-task-title').fill(payload);
    await alice.page.locator('#new-task-title').press('Enter');
    await alice.page.locator('[data-testid="task-card"]', { hasText: payload }).waitFor();
    await bob.page.locator('[data-testid="presence"] [data-name="Alice <b onmouseover=alert(4)>"]').hover();
    await alice.page.goto(`${server.url}/#/`);
    await alice.page.locator('[data-testid="incident-item"]', { hasText: '<img src=x onerror=alert(3)> Incident' }).waitFor();
    await bob.page.waitForTimeout(500);
    for (const w of [alice, bob]) {
      expect(w.dialogs).toEqual([]);
      expect(w.pageErrors).toEqual([]);
    }
  });

  test('management view: read only, decisions first, updates live', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person('Alice Martin');
    // The wall screen has no name of its own: it must work without anyone typing one.
    const wall = await person('', { viewport: { width: 1920, height: 1080 } });
    await openRoom(alice.page, server.url, id, 'decisions');
    await openRoom(wall.page, server.url, id, 'management');
    await Promise.all([waitLive(alice.page), waitLive(wall.page)]);

    const controls = 'input, textarea, select, button, [contenteditable]:not([contenteditable="false"]), form, [role="button"], [draggable="true"]';
    expect(await wall.page.locator(controls).count()).toBe(0);
    expect(await wall.page.getByTestId('overdue-count').getAttribute('data-count')).toBe('0');

    await alice.page.locator('#new-decision-title').fill('Déclencher le plan blanc');
    await alice.page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await wall.page.locator('[data-testid="mgmt-decision"][data-status="approved"]', { hasText: 'Déclencher le plan blanc' }).waitFor();

    const past = new Date(Date.now() - 20 * 60_000);
    await seedTask(server, id, { title: 'Rappeler les cadres de nuit', status: 'in_progress', dueAt: past.toISOString(), assignee: 'Cadre de garde' }, 'Régulation', past);
    await wall.page.locator('[data-testid="overdue-count"][data-count="1"]').waitFor();
    await wall.page.locator('[data-testid="mgmt-status-in_progress"][data-count="1"]').waitFor();

    await alice.page.getByTestId('tab-log').click();
    await postEntry(alice.page, '#alerte !!! Plus de téléphonie au bloc opératoire');
    await wall.page.locator('[data-testid="mgmt-alert"]', { hasText: 'Plus de téléphonie au bloc opératoire' }).waitFor();

    // Decisions come first on the wall screen.
    const order = await wall.page.locator('.mgmt-grid > section').evaluateAll((sections) => sections.map((s) => s.className));
    expect(order[0]).toContain('mgmt-decisions');
    expect(await wall.page.locator(controls).count()).toBe(0);
    // The wall screen is present, in the management view.
    await alice.page.locator('[data-testid="presence"] [data-view="management"]').waitFor();
    await expectClean(alice);
    await expectClean(wall);
  });

  test('the page works under a strict Content-Security-Policy (no unsafe-inline), from first visit to every view', async () => {
    const server = await serve({ csp: true });
    const newcomer = await person('');
    const response = await newcomer.page.goto(`${server.url}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    await newcomer.page.locator('#display-name').fill('Claire Dubois');
    await newcomer.page.locator('#display-name').press('Enter');
    await newcomer.page.locator('#incident-title').fill('Panne du DPI');
    await newcomer.page.locator('#incident-title').press('Enter');
    await newcomer.page.getByTestId('tab-log').waitFor();
    await waitLive(newcomer.page);
    await postEntry(newcomer.page, '#action ~02:45 Passage en procédures dégradées papier');
    await entryLocator(newcomer.page, 'Passage en procédures dégradées papier').waitFor();
    await newcomer.page.keyboard.press('Alt+KeyK');
    await newcomer.page.locator('[data-testid="tab-tasks"][aria-selected="true"]').waitFor();
    await newcomer.page.locator('#new-task-title').fill('Imprimer les plans de soins');
    await newcomer.page.locator('#new-task-title').press('Enter');
    await newcomer.page.locator('[data-testid="task-card"]').first().dblclick();
    await newcomer.page.locator('[role="dialog"]').waitFor();
    await newcomer.page.keyboard.press('Escape');
    await newcomer.page.keyboard.press('Alt+KeyN');
    await newcomer.page.locator('[data-testid="tab-decisions"][aria-selected="true"]').waitFor();
    const incidentId = /incident\/([0-9a-z]+)/.exec(newcomer.page.url())![1]!;
    await newcomer.page.goto(`${server.url}/#/incident/${incidentId}/management`);
    await newcomer.page.getByTestId('management').waitFor();
    await newcomer.page.locator('.lang-switch').click();
    await newcomer.page.locator('h2', { hasText: 'Decisions' }).waitFor();
    await newcomer.page.waitForTimeout(300);

    expect(newcomer.pageErrors).toEqual([]);
    expect(newcomer.cspViolations).toEqual([]);
    expect(await pageCspViolations(newcomer.page)).toEqual([]);

    // The watch works: an inline script is refused, and seen.
    await newcomer.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
    });
    await newcomer.page.waitForTimeout(200);
    expect((await pageCspViolations(newcomer.page)).length).toBeGreaterThan(0);
    expect(await newcomer.page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
  });

  test('reloading while the server is unreachable shows the last state; edits made then reach the server when it is back', async () => {
    const dataDir = tempDir();
    const server = await serve({ dataDir });
    const port = server.port;
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person('Alice Martin');
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    await postEntry(alice.page, 'Écrite avant la panne du serveur');
    await alice.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    // The service worker holds the app shell once it controls the page.
    await alice.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });

    await server.close();
    await alice.page.reload();
    await entryLocator(alice.page, 'Écrite avant la panne du serveur').waitFor();
    expect(await alice.page.locator('h1').first().textContent()).toContain('Cyberattaque — rançongiciel');
    expect(await alice.page.getByTestId('connection').getAttribute('data-status')).not.toBe('live');
    await postEntry(alice.page, 'Écrite pendant la panne du serveur');
    await alice.page.locator('[data-testid="log-entry"]:has([data-waiting])', { hasText: 'Écrite pendant la panne du serveur' }).waitFor();
    expect(await alice.page.getByTestId('connection').textContent()).toMatch(/1 modification en attente/);

    const again = await serve({ dataDir, port });
    await waitLive(alice.page);
    await expect(alice.page.locator('[data-testid="log-entry"]:has([data-waiting])')).toHaveCount(0);
    const state = (await (await fetch(`${again.url}/api/incidents/${id}`)).json()) as { log: Array<{ text: string }> };
    expect(state.log.map((e) => e.text)).toEqual(['Écrite avant la panne du serveur', 'Écrite pendant la panne du serveur']);
    expect(alice.pageErrors).toEqual([]);
  });

  test('keyboard first: prefixes and Alt shortcuts, ↑ to amend the last entry (shown with the original), filters, language switch', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Panne téléphonie');
    const alice = await person('Alice Martin');
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    const page = alice.page;
    const input = page.getByTestId('quick-entry');
    await expect(input).toBeFocusedSoon();

    // Alt+C cycles the category, Alt+S the severity, Alt+I marks a key fact: no mouse needed.
    await page.keyboard.type('Standard injoignable depuis 02:50');
    await page.keyboard.press('Alt+KeyC');
    await page.keyboard.press('Alt+KeyS');
    await page.keyboard.press('Alt+KeyS');
    await page.keyboard.press('Alt+KeyI');
    await page.keyboard.press('Enter');
    const first = entryLocator(page, 'Standard injoignable depuis 02:50');
    await first.waitFor();
    await expect(first.locator('.badge.cat-decision')).toHaveCount(0);
    await expect(first.locator('.badge.cat-action')).toHaveCount(1);
    await expect(first.locator('.sev-high')).toHaveCount(1);
    await expect(first.locator('.key-badge')).toHaveCount(1);
    await expect(input).toBeFocusedSoon();

    // Typing anywhere goes to the quick-entry line.
    await page.locator('#log-list').click();
    await page.keyboard.type('#com @ARS ~02:55 Appel de l’ARS');
    await expect(input).toBeFocusedSoon();
    await page.keyboard.press('Enter');
    const second = entryLocator(page, 'Appel de l’ARS');
    await second.waitFor();
    expect(await second.locator('.source').textContent()).toContain('ARS');
    expect(await second.locator('.event-at').textContent()).toMatch(/02:55/);

    // ↑ on an empty line amends my last entry; the correction shows the original.
    await page.keyboard.press('ArrowUp');
    await page.locator('.amend-banner').waitFor();
    await input.fill('#com @ARS ~02:55 Appel de l’ARS : cellule régionale activée');
    await input.press('Enter');
    const amendment = entryLocator(page, 'cellule régionale activée');
    await amendment.waitFor();
    expect(await amendment.locator('.entry-original').textContent()).toContain('Appel de l’ARS');
    await expect(page.locator('[data-testid="log-entry"].amended', { hasText: 'Appel de l’ARS' })).toHaveCount(1);

    // Filters: Alt+R to search; category and severity.
    await page.keyboard.press('Alt+KeyR');
    await expect(page.locator('#log-search')).toBeFocusedSoon();
    await page.keyboard.type('injoignable');
    await expect(page.locator('[data-testid="log-entry"]')).toHaveCount(1);
    await page.locator('#log-search').fill('');
    await page.getByLabel('Catégorie').first().selectOption('communication');
    await expect(page.locator('[data-testid="log-entry"]')).toHaveCount(2);
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await expect(page.locator('[data-testid="log-entry"]')).toHaveCount(3);

    // Newest on top, and English.
    await page.getByRole('button', { name: /Récentes en bas/ }).click();
    expect(await page.locator('[data-testid="entry-text"]').first().textContent()).toContain('cellule régionale activée');
    await page.locator('.lang-switch').click();
    await page.getByTestId('tab-log').filter({ hasText: 'Log' }).waitFor();
    expect(await page.getByTestId('connection').textContent()).toContain('Live');
    await expectClean(alice);
  });

  test('the log is virtualised: 10,000 entries, a few dozen rows in the page, search and scroll work', async () => {
    const server = await serve();
    const id = await createIncident(server.url);
    await seedManyEntries(server, id, 10_000);
    const alice = await person('Alice Martin');
    const started = Date.now();
    await openRoom(alice.page, server.url, id, 'log');
    await alice.page.locator('[data-testid="log-count"][data-total="10000"]').waitFor({ timeout: 30_000 });
    await entryLocator(alice.page, 'Point 10000 :').waitFor();
    const loadMs = Date.now() - started;
    expect(loadMs).toBeLessThan(15_000);
    expect(await alice.page.locator('[data-testid="log-entry"]').count()).toBeLessThan(80);
    await alice.page.locator('.vlist').evaluate((el) => {
      el.scrollTop = 0;
    });
    await entryLocator(alice.page, 'Point 1 :').waitFor();
    expect(await alice.page.locator('[data-testid="log-entry"]').count()).toBeLessThan(80);
    await alice.page.locator('#log-search').fill('Point 4242 ');
    await expect(alice.page.locator('[data-testid="log-entry"]')).toHaveCount(1);
    await expectClean(alice);
  });

  test('screenshots of a realistic incident (docs/screenshots)', async () => {
    const server = await serve();
    const detected = new Date(Date.now() - (5 * 60 + 32) * 60_000);
    const res = await fetch(`${server.url}/api/incidents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Cyberattaque — rançongiciel sur le SI du CHU', detectedAt: detected.toISOString(), severity: 'critical', author: 'Administrateur de garde' }),
    });
    const id = ((await res.json()) as { id: string }).id;
    const at = (minutesAfter: number) => new Date(detected.getTime() + minutesAfter * 60_000);
    const entries = await seedLog(server, id, [
      { at: at(2), author: 'Cédric Le Goff (DSI)', input: { text: 'Chiffrement en cours sur les serveurs de fichiers et le PACS ; message de rançon affiché sur plusieurs postes.', category: 'alert', severity: 'critical', source: 'Supervision DSI', key: true, eventAt: at(-8).toISOString() } },
      { at: at(6), author: 'Dr Anne Martin', input: { text: 'Cellule de crise activée en salle 2.14. Main courante ouverte.', category: 'action', severity: 'medium' } },
      { at: at(9), author: 'Cédric Le Goff (DSI)', input: { text: 'Coupure de l’accès internet et des interconnexions GHT pour contenir la propagation.', category: 'action', severity: 'high', source: 'DSI' } },
      { at: at(14), author: 'Sophie Bernard (cadre)', input: { text: 'Urgences : bascule en procédures dégradées papier, imprimantes locales OK.', category: 'information', severity: 'medium', source: 'Cadre des urgences' } },
      { at: at(21), author: 'Dr Anne Martin', input: { text: 'Appel à l’ARS Bretagne et au CERT Santé : déclaration d’incident faite.', category: 'communication', severity: 'medium', source: 'Direction' } },
      { at: at(33), author: 'Cédric Le Goff (DSI)', input: { text: 'Téléphonie IP hors service au bloc opératoire, bascule sur les DECT de secours.', category: 'alert', severity: 'high', source: 'Standard' } },
      { at: at(47), author: 'Sophie Bernard (cadre)', input: { text: 'Laboratoire : résultats transmis par coursier, délai moyen 45 min.', category: 'information', severity: 'low', source: 'Laboratoire' } },
      { at: at(61), author: 'Marc Rivière (direction)', input: { text: 'Plan blanc déclenché par le directeur de garde.', category: 'decision', severity: 'high', key: true } },
      { at: at(78), author: 'Dr Anne Martin', input: { text: 'Régulation SAMU : déprogrammation des transferts non urgents vers le CHU.', category: 'action', severity: 'medium', source: 'SAMU 35' } },
      { at: at(95), author: 'Cédric Le Goff (DSI)', input: { text: 'Sauvegardes hors ligne intactes (bandes du 12), restauration possible du DPI.', category: 'information', severity: 'medium', source: 'DSI', key: true } },
      { at: at(120), author: 'Marc Rivière (direction)', input: { text: 'Point presse à 10 h, éléments de langage validés avec l’ARS.', category: 'communication', severity: 'low', source: 'Communication' } },
      { at: at(151), author: 'Sophie Bernard (cadre)', input: { text: 'Pharmacie : dispensation nominative sur ordonnances papier pour tous les services.', category: 'information', severity: 'low', source: 'Pharmacie' } },
    ]);
    await seedLog(server, id, [
      { at: at(158), author: 'Sophie Bernard (cadre)', input: { text: 'Pharmacie : dispensation sur ordonnances papier, sauf réanimation (armoire sécurisée autonome).', category: 'information', severity: 'low', source: 'Pharmacie', amends: entries[11]! } },
      { at: at(172), author: 'Cédric Le Goff (DSI)', input: { text: 'Deux postes de la radiologie encore connectés au VLAN compromis : isolés physiquement.', category: 'alert', severity: 'high', source: 'DSI' } },
    ]);
    const soon = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
    await seedTask(server, id, { title: 'Isoler le VLAN imagerie', status: 'done', priority: 'urgent', assignee: 'Cédric Le Goff (DSI)', logLinks: [entries[0]!] }, 'Dr Anne Martin', at(10));
    await seedTask(server, id, { title: 'Restaurer le DPI depuis les sauvegardes hors ligne', status: 'in_progress', priority: 'urgent', assignee: 'Cédric Le Goff (DSI)', dueAt: soon(95), logLinks: [entries[9]!] }, 'Dr Anne Martin', at(96));
    await seedTask(server, id, { title: 'Recenser les postes chiffrés par service', status: 'in_progress', priority: 'high', assignee: 'Équipe DSI', dueAt: soon(-25) }, 'Cédric Le Goff (DSI)', at(30));
    await seedTask(server, id, { title: 'Rappeler les cadres de nuit', status: 'todo', priority: 'normal', assignee: 'Sophie Bernard (cadre)', dueAt: soon(40) }, 'Dr Anne Martin', at(62));
    await seedTask(server, id, { title: 'Préparer le point presse de 10 h', status: 'todo', priority: 'high', assignee: 'Marc Rivière (direction)', dueAt: soon(150), logLinks: [entries[10]!] }, 'Dr Anne Martin', at(121));
    await seedTask(server, id, { title: 'Obtenir le contrat d’assistance de l’éditeur du DPI', status: 'blocked', priority: 'normal', assignee: null, description: 'En attente du numéro d’astreinte' }, 'Marc Rivière (direction)', at(100));
    await seedTask(server, id, { title: 'Tester les DECT de secours au bloc', status: 'cancelled', priority: 'low' }, 'Dr Anne Martin', at(40));
    const cut = await seedDecision(server, id, { title: 'Couper l’accès internet et les interconnexions GHT', statement: 'Coupure immédiate de tous les flux sortants du CHU.', rationale: 'Chiffrement en cours, exfiltration possible.', status: 'approved' }, 'Dr Anne Martin', at(8));
    await seedDecision(server, id, { title: 'Déclencher le plan blanc', statement: 'Plan blanc niveau 2 : rappel du personnel, déprogrammation.', rationale: 'Urgences et bloc en mode dégradé pour plusieurs jours.', status: 'approved' }, 'Marc Rivière (direction)', at(60));
    await seedDecision(server, id, { title: 'Rétablir un accès internet filtré pour la messagerie sécurisée', statement: 'Seule la messagerie MSSanté via le proxy de secours.', rationale: 'Besoin d’échanger avec l’ARS et les laboratoires.', status: 'approved', supersedes: cut }, 'Dr Anne Martin', at(140));
    await seedDecision(server, id, { title: 'Payer la rançon', statement: 'Refus de principe.', rationale: 'Position nationale, sauvegardes intactes.', status: 'proposed' }, 'Cédric Le Goff (DSI)', at(90), [{ status: 'rejected', by: 'Marc Rivière (direction)', at: at(97), note: 'Doctrine nationale : aucun paiement' }]);

    // The committed pictures are refreshed on request (UPDATE_SCREENSHOTS=1); other runs write to a temp folder.
    const shots = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-shots-'));
    fs.mkdirSync(shots, { recursive: true });
    const sophie = await person('Sophie Bernard (cadre)');
    const cedric = await person('Cédric Le Goff (DSI)');
    await openRoom(sophie.page, server.url, id, 'tasks');
    await openRoom(cedric.page, server.url, id, 'decisions');
    const anne = await person('Dr Anne Martin', { viewport: { width: 1440, height: 900 } });
    await openRoom(anne.page, server.url, id, 'log');
    await waitLive(anne.page);
    await anne.page.locator('[data-testid="presence"] [data-view="tasks"]').waitFor();
    await anne.page.locator('[data-testid="presence"] [data-view="decisions"]').waitFor();
    await entryLocator(anne.page, 'Deux postes de la radiologie').waitFor();
    await anne.page.getByTestId('quick-entry').fill('#alerte !! @Standard ~07:40 Standard saturé, renfort de deux agents demandé');
    await anne.page.mouse.move(0, 0);
    await anne.page.waitForTimeout(300);
    await anne.page.screenshot({ path: path.join(shots, 'incident-room.png') });

    await anne.page.getByTestId('quick-entry').fill('');
    await anne.page.getByTestId('tab-tasks').click();
    await anne.page.locator('[data-testid="task-card"]').first().waitFor();
    await anne.page.mouse.move(0, 0);
    await anne.page.screenshot({ path: path.join(shots, 'tasks.png') });
    await anne.page.getByTestId('tab-decisions').click();
    await anne.page.locator('[data-testid="decision"]').first().waitFor();
    await anne.page.screenshot({ path: path.join(shots, 'decisions.png') });
    const night = await person('Dr Anne Martin', { colorScheme: 'dark' });
    await openRoom(night.page, server.url, id, 'log');
    await entryLocator(night.page, 'Deux postes de la radiologie').waitFor();
    await night.page.getByTestId('quick-entry').fill('#alerte !! @Standard Standard saturé, renfort de deux agents demandé');
    await night.page.screenshot({ path: path.join(shots, 'incident-room-dark.png') });
    const wall = await person('', { viewport: { width: 1920, height: 1080 } });
    await openRoom(wall.page, server.url, id, 'management');
    await waitLive(wall.page);
    await wall.page.locator('[data-testid="mgmt-decision"]').first().waitFor();
    await wall.page.screenshot({ path: path.join(shots, 'management.png') });
    for (const w of [anne, sophie, cedric, night, wall]) await expectClean(w);
  });
});

/** Playwright-style polling for focus, on top of jest's expect. */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeFocusedSoon(): Promise<R>;
      toHaveCount(n: number): Promise<R>;
    }
  }
}

async function poll<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await get();
  while (!ok(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    value = await get();
  }
  return value;
}

expect.extend({
  async toBeFocusedSoon(locator: import('playwright-core').Locator) {
    const focused = await poll(() => locator.evaluate((el) => el === document.activeElement), (v) => v);
    return { pass: focused, message: () => `expected ${locator} to be focused` };
  },
  async toHaveCount(locator: import('playwright-core').Locator, n: number) {
    const count = await poll(() => locator.count(), (v) => v === n);
    return { pass: count === n, message: () => `expected ${n} elements for ${locator}, found ${count}` };
  },
});
