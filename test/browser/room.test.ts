import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { until } from '../helpers/poll';
import { createIncident, onTeardown, startTestServer, tempDir } from '../helpers/testServer';
import { TEST_ADMIN, TEST_PASSWORD, TestUser, adminToken, api, createUser, setRole, testUser } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import { totpCode, totpStep } from '../../server/auth/totp';
import type { RunningServer } from '../../server/createServer';
import {
  ContextOptions,
  Watched,
  browserSuite,
  entryLocator,
  loginThroughPage,
  openContext,
  openRoom,
  pageCspViolations,
  postEntry,
  signIn,
  waitLive,
  openSuiteBrowser,
  closeSuiteBrowser,
  expectClean,
  poll,
} from './harness';
import { seedDecision, seedLog, seedManyEntries, seedTask } from './seed';

/**
 * Resolves after the page has drawn two more frames: what it does in reaction to what happened
 * before (a render, an event handler, an alert that would block it) has run by then.
 */
async function afterNextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

/** A test server serving the built client, with its real headers (helmet's strict CSP) and accounts. */
async function serve(options: { dataDir?: string; port?: number } = {}): Promise<RunningServer> {
  return startTestServer({ webRoot, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.port ? { port: options.port } : {}) });
}

/** A browser context nobody is logged in to yet. */
async function stranger(extra: ContextOptions = {}): Promise<Watched> {
  const w = await openContext(browser, extra);
  onTeardown(() => w.context.close().catch(() => undefined));
  return w;
}

interface Person extends Watched {
  user: TestUser;
  /** The browser's session cookie (`name=value`). */
  cookie: string;
}

/** Someone on their own laptop, logged in as the helpers' user of that name (a member of every helper incident). */
async function person(server: RunningServer, name: string, extra: ContextOptions = {}): Promise<Person> {
  const user = await testUser(server.url, name);
  const w = await stranger(extra);
  const cookie = await signIn(w, server.url, user.email);
  return { ...w, user, cookie };
}

/** A new account with a role in one incident (not a helper member of the others), logged in. */
async function withRole(server: RunningServer, name: string, incidentId: string, role: 'director' | 'member' | 'observer', extra: ContextOptions = {}): Promise<Person> {
  const user = await createUser(server.url, name);
  expect((await setRole(server.url, incidentId, user.id, role)).status).toBe(200);
  const w = await stranger(extra);
  const cookie = await signIn(w, server.url, user.email);
  return { ...w, user, cookie };
}

/** The server's sockets opened by a user. */
function socketsOf(server: RunningServer, userId: string): number {
  let n = 0;
  for (const socket of server.io.of('/').sockets.values()) {
    if ((socket.data as { principal?: { user: { id: string } } }).principal?.user.id === userId) n += 1;
  }
  return n;
}

async function logTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="entry-text"]').allTextContents();
}


browserSuite('browser client', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('two people on the same incident see each other’s log entry, task move, decision and presence live', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person(server, 'Alice Martin');
    const bob = await person(server, 'Bob Le Goff');
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
    // The form starts as a proposal (issue 13): the incident of these tests lets members decide.
    await alice.page.locator('.decision-form select').selectOption('approved');
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
    const alice = await person(server, 'Alice Martin');
    const bob = await person(server, 'Bob Le Goff');
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
    // The sentinel: Bob's entry, written after Alice's, is durable on the server; hers are not there.
    await bob.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    expect((await getIncidentState(server.url, id)).log.map((e) => e.text)).toEqual(['Avant la coupure', 'Pendant la coupure, côté Bob']);
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
    const state = await getIncidentState(server.url, id);
    expect(state.log.map((e) => e.text).sort()).toEqual([...a].sort());
    await expectClean(alice);
    await expectClean(bob);
  });

  test('user text is rendered as text: markup in an entry, a task and a title runs nothing', async () => {
    // Without the CSP (the browser ignores it): the rendering alone must be safe.
    const server = await serve();
    const payload = '<img src=x onerror=alert(1)>';
    const id = await createIncident(server.url, `<img src=x onerror=alert(3)> Incident`);
    const alice = await person(server, 'Alice <b onmouseover=alert(4)>', { bypassCSP: true });
    const bob = await person(server, 'Bob', { bypassCSP: true });
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
    await afterNextFrames(bob.page);
    for (const w of [alice, bob]) {
      expect(w.dialogs).toEqual([]);
      expect(w.pageErrors).toEqual([]);
    }
  });

  test('management view: read only, decisions first, updates live', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person(server, 'Alice Martin');
    // The wall screen, logged in under the management's account.
    const wall = await person(server, 'Écran direction', { viewport: { width: 1920, height: 1080 } });
    await openRoom(alice.page, server.url, id, 'decisions');
    await openRoom(wall.page, server.url, id, 'management');
    await Promise.all([waitLive(alice.page), waitLive(wall.page)]);

    const controls = 'input, textarea, select, button, [contenteditable]:not([contenteditable="false"]), form, [role="button"], [draggable="true"]';
    expect(await wall.page.locator(controls).count()).toBe(0);
    expect(await wall.page.getByTestId('overdue-count').getAttribute('data-count')).toBe('0');

    await alice.page.locator('#new-decision-title').fill('Déclencher le plan blanc');
    await alice.page.locator('.decision-form select').selectOption('approved');
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
    const server = await serve();
    const claire = await createUser(server.url, 'Claire Dubois');
    const newcomer = await stranger();
    const response = await newcomer.page.goto(`${server.url}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    await newcomer.page.getByTestId('login-page').waitFor();
    await loginThroughPage(newcomer.page, claire.email, TEST_PASSWORD);
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
    await afterNextFrames(newcomer.page);

    expect(newcomer.pageErrors).toEqual([]);
    expect(newcomer.cspViolations).toEqual([]);
    expect(await pageCspViolations(newcomer.page)).toEqual([]);

    // The watch works: an inline script is refused, and seen.
    await newcomer.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
    });
    // The page records the violation event it is sent.
    await newcomer.page.waitForFunction(() => ((window as unknown as { __csp?: string[] }).__csp ?? []).length > 0);
    expect((await pageCspViolations(newcomer.page)).length).toBeGreaterThan(0);
    expect(await newcomer.page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
  });

  test('reloading while the server is unreachable shows the last state; edits made then reach the server when it is back', async () => {
    const dataDir = tempDir();
    const server = await serve({ dataDir });
    const port = server.port;
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person(server, 'Alice Martin');
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
    const state = await getIncidentState(again.url, id);
    expect(state.log.map((e) => e.text)).toEqual(['Écrite avant la panne du serveur', 'Écrite pendant la panne du serveur']);
    expect(alice.pageErrors).toEqual([]);
  });

  test('keyboard first: prefixes and Alt shortcuts, ↑ to amend the last entry (shown with the original), filters, language switch', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Panne téléphonie');
    const alice = await person(server, 'Alice Martin');
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
    const alice = await person(server, 'Alice Martin');
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

  test('login: a wrong password shows an error and lets nobody in; the right one enters', async () => {
    const server = await serve();
    const claire = await createUser(server.url, 'Claire Dubois');
    const w = await stranger();
    await w.page.goto(`${server.url}/#/`);
    await w.page.getByTestId('login-page').waitFor();
    await expect(w.page.locator('#login-email')).toBeFocusedSoon();

    await loginThroughPage(w.page, claire.email, 'not the right passphrase');
    const error = w.page.getByTestId('form-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Adresse e-mail ou mot de passe incorrect.');
    expect(await w.page.locator('#login-password').inputValue()).toBe('');
    await expect(w.page.locator('#login-password')).toBeFocusedSoon();
    expect((await w.context.cookies()).map((c) => c.name)).toEqual([]);
    expect(await w.page.getByTestId('me').count()).toBe(0);

    await w.page.locator('#login-password').fill(TEST_PASSWORD);
    await w.page.locator('#login-password').press('Enter');
    await w.page.getByTestId('me').waitFor();
    expect(await w.page.getByTestId('me').textContent()).toBe('Claire Dubois');
    // The session cookie is out of reach of scripts and of other sites.
    const cookies = await w.context.cookies();
    expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['crisis_session', true, 'Strict']]);
    expect(await w.page.evaluate(() => document.cookie)).toBe('');
    // A reload keeps the session.
    await w.page.reload();
    await w.page.getByTestId('me').waitFor();
    await expectClean(w);
  });

  test('an invitation link accepted in the browser makes a user who sees only the incidents they are a member of; a director adds, demotes and removes them', async () => {
    const server = await serve();
    const mine = await createIncident(server.url, 'Panne du standard');
    const other = await createIncident(server.url, 'Incident confidentiel');

    // The administrator invites from the administration page and gets the one-time link.
    const admin = await stranger();
    await signIn(admin, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await admin.page.goto(`${server.url}/#/admin`);
    await admin.page.locator('#invite-email').fill('dr.kerouac@chu.test');
    await admin.page.locator('#invite-display-name').fill('Dr Yann Kerouac');
    await admin.page.getByRole('button', { name: 'Créer le lien' }).click();
    const link = await admin.page.getByTestId('invite-link').inputValue();
    const match = /^(http:\/\/[^/]+)\/invite#token=([A-Za-z0-9_-]{43})$/.exec(link);
    expect(match).not.toBeNull();
    const [, origin, token] = match as unknown as [string, string, string];

    // The invited person opens it on their own computer.
    const yann = await stranger();
    await yann.page.goto(link);
    await yann.page.getByTestId('invite-page').waitFor();
    await yann.page.getByTestId('invite-email').waitFor();
    expect(await yann.page.getByTestId('invite-email').textContent()).toBe('dr.kerouac@chu.test');
    expect(await yann.page.locator('#invite-name').inputValue()).toBe('Dr Yann Kerouac');
    await yann.page.locator('#new-password').fill('une phrase de passe assez longue');
    await yann.page.locator('#confirm-password').fill('une phrase de passe assez longue');
    await yann.page.locator('#confirm-password').press('Enter');
    await yann.page.getByTestId('me').waitFor();
    expect(await yann.page.getByTestId('me').textContent()).toBe('Dr Yann Kerouac');
    // The secret left the address bar, and the link works only once.
    expect(yann.page.url()).toBe(`${origin}/#/`);
    expect((await api(server.url, '/api/invites/describe', { body: { token } })).status).toBe(404);
    // A member of nothing yet: an empty list, and the server agrees.
    await yann.page.getByText('Aucun incident pour vous').waitFor();
    expect(await yann.page.getByTestId('incident-item').count()).toBe(0);
    const session = (await yann.context.cookies(origin)).find((c) => c.name === 'crisis_session');
    const yannCookie = `crisis_session=${session!.value}`;

    // The director (the administrator made both incidents) adds them to one, from the members panel.
    await openRoom(admin.page, server.url, mine, 'members');
    await admin.page.locator('#add-member-user').selectOption({ label: 'Dr Yann Kerouac — dr.kerouac@chu.test' });
    await admin.page.locator('#add-member-role').selectOption('member');
    await admin.page.getByRole('button', { name: 'Ajouter', exact: true }).click();
    const row = admin.page.locator('[data-testid="member"]', { hasText: 'Dr Yann Kerouac' });
    await row.waitFor();
    expect(await row.getAttribute('data-role')).toBe('member');

    await yann.page.reload();
    await yann.page.getByTestId('incident-item').first().waitFor();
    expect(await yann.page.locator('[data-testid="incident-item"] .incident-name').allTextContents()).toEqual(['Panne du standard']);
    const listed = await api<{ incidents: Array<{ id: string }> }>(server.url, '/api/incidents', { cookie: yannCookie });
    expect(listed.body.incidents.map((m) => m.id)).toEqual([mine]);
    expect((await api(server.url, `/api/incidents/${other}`, { cookie: yannCookie })).status).toBe(403);

    // They write in it, under their account's name.
    await openRoom(yann.page, origin, mine, 'log');
    await waitLive(yann.page);
    await postEntry(yann.page, 'Standard basculé sur les lignes de secours');
    await yann.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    expect((await getIncidentState(server.url, mine)).log.map((e) => [e.author, e.text])).toEqual([['Dr Yann Kerouac', 'Standard basculé sur les lignes de secours']]);

    // Demoted to observer: the room becomes read only.
    await row.getByTestId('member-role').selectOption('observer');
    await admin.page.locator('[data-testid="member"][data-role="observer"]', { hasText: 'Dr Yann Kerouac' }).waitFor();
    await yann.page.reload();
    await yann.page.getByTestId('read-only').waitFor();
    expect(await yann.page.getByTestId('quick-entry').count()).toBe(0);

    // Removed: the open socket is closed and the incident leaves the page.
    await row.getByTestId('member-remove').click();
    await row.waitFor({ state: 'detached' });
    await yann.page.getByTestId('not-member').waitFor();
    expect(await yann.page.locator('[data-testid="log-entry"]').count()).toBe(0);
    await expectClean(admin);
    await expectClean(yann);
  });

  test('an observer’s room has no write control (no quick entry, no task move, no decision action) and the management view still works', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const now = new Date();
    await seedLog(server, id, [{ at: now, author: 'Alice Martin', input: { text: 'Messagerie coupée sur tout le site', category: 'alert', severity: 'high' } }]);
    await seedTask(server, id, { title: 'Isoler le VLAN imagerie', status: 'todo' }, 'Alice Martin', now);
    await seedDecision(server, id, { title: 'Déclencher le plan blanc', statement: 'Plan blanc niveau 2', rationale: 'Urgences saturées', status: 'proposed' }, 'Alice Martin', now);
    const alice = await person(server, 'Alice Martin');
    const dg = await withRole(server, 'Directrice générale', id, 'observer');
    const writeControls =
      '#quick-entry, #new-task-title, #new-decision-title, [draggable="true"], [data-action], .entry-actions, .card-edit, [role="dialog"], [data-testid="member-role"], [data-testid="member-remove"], #add-member-user';

    await openRoom(dg.page, server.url, id, 'log');
    await waitLive(dg.page);
    await dg.page.getByTestId('read-only').waitFor();
    await entryLocator(dg.page, 'Messagerie coupée sur tout le site').waitFor();
    expect(await dg.page.locator(writeControls).count()).toBe(0);
    // Reading works: search and filters.
    await dg.page.locator('#log-search').fill('messagerie');
    await expect(dg.page.locator('[data-testid="log-entry"]')).toHaveCount(1);

    // The board: cards can be walked, not moved or edited, by keyboard or otherwise.
    await dg.page.getByTestId('tab-tasks').click();
    const card = dg.page.locator('[data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' });
    await card.waitFor();
    await card.focus();
    await dg.page.keyboard.press('Shift+ArrowRight');
    await dg.page.keyboard.press('Enter');
    await card.dblclick();
    expect(await card.getAttribute('data-status')).toBe('todo');
    expect(await dg.page.locator(writeControls).count()).toBe(0);

    await dg.page.getByTestId('tab-decisions').click();
    await dg.page.locator('[data-testid="decision"]', { hasText: 'Déclencher le plan blanc' }).waitFor();
    expect(await dg.page.locator(writeControls).count()).toBe(0);

    // Members: a list to read; no audit trail (directors only).
    await dg.page.getByTestId('tab-members').click();
    await dg.page.locator('[data-testid="member"]', { hasText: 'Directrice générale' }).waitFor();
    expect(await dg.page.locator('[data-testid="member"][data-role="observer"]').count()).toBe(1);
    expect(await dg.page.getByTestId('tab-audit').count()).toBe(0);
    expect(await dg.page.locator(writeControls).count()).toBe(0);

    // Nothing was sent, nothing changed.
    expect(await dg.page.getByTestId('connection').getAttribute('data-pending')).toBe('0');
    const state = await getIncidentState(server.url, id);
    expect([state.log.length, state.tasks.map((t) => t.status), state.decisions.map((d) => d.status)]).toEqual([1, ['todo'], ['proposed']]);

    // The management view works for the observer, live.
    await openRoom(dg.page, server.url, id, 'management');
    await waitLive(dg.page);
    await dg.page.locator('[data-testid="mgmt-decision"]', { hasText: 'Déclencher le plan blanc' }).waitFor();
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    await postEntry(alice.page, '#alerte !!! Plus de téléphonie au bloc opératoire');
    await dg.page.locator('[data-testid="mgmt-alert"]', { hasText: 'Plus de téléphonie au bloc opératoire' }).waitFor();
    // Present under their own name, in the management view.
    await alice.page.locator('[data-testid="presence"] [data-name="Directrice générale"][data-view="management"]').waitFor();
    await expectClean(dg);
    await expectClean(alice);
  });

  test('logout returns to the login page, closes the socket and ends the session on the server', async () => {
    const server = await serve();
    const id = await createIncident(server.url);
    const alice = await person(server, 'Alice Martin');
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    await postEntry(alice.page, 'Avant de partir');
    await alice.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    expect(socketsOf(server, alice.user.id)).toBe(1);

    await alice.page.locator('a.back').click();
    await alice.page.getByTestId('logout').click();
    await alice.page.getByTestId('login-page').waitFor();
    expect(await alice.page.getByRole('status').first().textContent()).toBe('Vous êtes déconnecté.');
    await until(() => socketsOf(server, alice.user.id) === 0, 'the socket to close');
    expect(await alice.context.cookies()).toEqual([]);
    expect((await api(server.url, '/api/auth/me', { cookie: alice.cookie })).status).toBe(401);

    // A reload stays out, and this browser keeps no trace of who was here or of the incident list.
    await alice.page.reload();
    await alice.page.getByTestId('login-page').waitFor();
    expect(await alice.page.evaluate(() => Object.keys(localStorage).filter((k) => k === 'crisis.me' || k.startsWith('crisis.incidents')))).toEqual([]);
    expect(socketsOf(server, alice.user.id)).toBe(0);
    await expectClean(alice);
  });

  test('second factor: turned on from the account page, then asked for at login after the password', async () => {
    const server = await serve();
    const anne = await createUser(server.url, 'Dr Anne Martin');
    const w = await stranger();
    await signIn(w, server.url, anne.email);
    await w.page.goto(`${server.url}/#/account`);
    await w.page.getByRole('button', { name: 'Activer le second facteur' }).click();
    const secret = (await w.page.getByTestId('totp-secret').inputValue()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const step = totpStep(new Date());
    await w.page.locator('#totp-code').fill(totpCode(secret, step - 1));
    await w.page.getByRole('button', { name: 'Confirmer et activer' }).click();
    await w.page.getByText('Activé', { exact: true }).waitFor();

    await w.page.getByTestId('logout').click();
    await w.page.getByTestId('login-page').waitFor();
    await loginThroughPage(w.page, anne.email, TEST_PASSWORD);
    // The password was right: the code field appears, focused.
    await expect(w.page.locator('#login-totp')).toBeFocusedSoon();
    expect(await w.page.getByTestId('me').count()).toBe(0);
    await w.page.locator('#login-totp').fill(totpCode(secret, step + 5));
    await w.page.locator('#login-totp').press('Enter');
    await w.page.getByTestId('form-error').waitFor();
    expect(await w.page.getByTestId('form-error').textContent()).toBe('Code incorrect ou déjà utilisé\u202F: attendez le suivant.');
    expect(await w.page.getByTestId('me').count()).toBe(0);
    await w.page.locator('#login-totp').fill(totpCode(secret, totpStep(new Date())));
    await w.page.locator('#login-totp').press('Enter');
    await w.page.getByTestId('me').waitFor();
    expect(await w.page.getByTestId('me').textContent()).toBe('Dr Anne Martin');
    await expectClean(w);
  });

  test('first start without ADMIN_PASSWORD: the set-up link from the log creates the administrator, logged in at once', async () => {
    const server = await startTestServer({ webRoot, adminEmail: undefined, adminPassword: undefined });
    const link = server.setupUrl ?? '';
    const match = /^(http:\/\/[^/]+)\/setup#token=([A-Za-z0-9_-]{43})$/.exec(link);
    expect(match).not.toBeNull();
    const [, origin, token] = match as unknown as [string, string, string];
    const w = await stranger();
    // Without the link, the page says where to find it.
    await w.page.goto(`${origin}/`);
    await w.page.getByTestId('setup-required').waitFor();

    await w.page.goto(link);
    await w.page.getByTestId('setup-page').waitFor();
    await w.page.locator('#setup-name').fill('Cellule de crise du CHU');
    await w.page.locator('#setup-email').fill('cellule@chu.test');
    await w.page.locator('#new-password').fill('trop court');
    await w.page.locator('#confirm-password').fill('trop court');
    await w.page.locator('#confirm-password').press('Enter');
    expect(await w.page.getByTestId('form-error').textContent()).toBe('Le mot de passe doit faire au moins 12 caractères.');
    await w.page.locator('#new-password').fill('une phrase de passe pour la cellule');
    await w.page.locator('#confirm-password').fill('une phrase de passe pour la cellule');
    await w.page.locator('#confirm-password').press('Enter');
    await w.page.getByTestId('me').waitFor();
    expect(await w.page.getByTestId('me').textContent()).toBe('Cellule de crise du CHU');
    expect(w.page.url()).toBe(`${origin}/#/`);
    await w.page.getByRole('link', { name: 'Administration' }).waitFor();
    // The link worked once.
    const again = await api(server.url, '/api/auth/setup', { body: { token, email: 'other@chu.test', password: 'another long passphrase', displayName: 'Other' } });
    expect(again.status).toBe(401);
    await expectClean(w);
  });

  test('screenshots of a realistic incident (docs/screenshots)', async () => {
    const server = await serve();
    const detected = new Date(Date.now() - (5 * 60 + 32) * 60_000);
    const created = await api<{ id: string }>(server.url, '/api/incidents', {
      token: await adminToken(server.url),
      body: { title: 'Cyberattaque — rançongiciel sur le SI du CHU', detectedAt: detected.toISOString(), severity: 'critical' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
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
    // The login page, as everyone first sees it.
    const visitor = await stranger();
    await visitor.page.goto(`${server.url}/`);
    await visitor.page.getByTestId('login-page').waitFor();
    await visitor.page.screenshot({ path: path.join(shots, 'login.png') });

    // The incident was made outside the helpers: give its people their roles.
    const sophie = await withRole(server, 'Sophie Bernard (cadre)', id, 'member');
    const cedric = await withRole(server, 'Cédric Le Goff (DSI)', id, 'member');
    await openRoom(sophie.page, server.url, id, 'tasks');
    await openRoom(cedric.page, server.url, id, 'decisions');
    const anne = await withRole(server, 'Dr Anne Martin', id, 'director', { viewport: { width: 1440, height: 900 } });
    await openRoom(anne.page, server.url, id, 'log');
    await waitLive(anne.page);
    await anne.page.locator('[data-testid="presence"] [data-view="tasks"]').waitFor();
    await anne.page.locator('[data-testid="presence"] [data-view="decisions"]').waitFor();
    await entryLocator(anne.page, 'Deux postes de la radiologie').waitFor();
    await anne.page.getByTestId('quick-entry').fill('#alerte !! @Standard ~07:40 Standard saturé, renfort de deux agents demandé');
    await anne.page.mouse.move(0, 0);
    // Transitions (the hover just left) are finished at once for the shot.
    await anne.page.screenshot({ path: path.join(shots, 'incident-room.png'), animations: 'disabled' });

    await anne.page.getByTestId('quick-entry').fill('');
    await anne.page.getByTestId('tab-tasks').click();
    await anne.page.locator('[data-testid="task-card"]').first().waitFor();
    await anne.page.mouse.move(0, 0);
    await anne.page.screenshot({ path: path.join(shots, 'tasks.png') });
    await anne.page.getByTestId('tab-decisions').click();
    await anne.page.locator('[data-testid="decision"]').first().waitFor();
    await anne.page.screenshot({ path: path.join(shots, 'decisions.png') });
    const night = await stranger({ colorScheme: 'dark' });
    await signIn(night, server.url, anne.user.email);
    await openRoom(night.page, server.url, id, 'log');
    await entryLocator(night.page, 'Deux postes de la radiologie').waitFor();
    await night.page.getByTestId('quick-entry').fill('#alerte !! @Standard Standard saturé, renfort de deux agents demandé');
    await night.page.screenshot({ path: path.join(shots, 'incident-room-dark.png') });
    const wall = await withRole(server, 'Direction générale', id, 'observer', { viewport: { width: 1920, height: 1080 } });
    await openRoom(wall.page, server.url, id, 'management');
    await waitLive(wall.page);
    await wall.page.locator('[data-testid="mgmt-decision"]').first().waitFor();
    await wall.page.screenshot({ path: path.join(shots, 'management.png') });
    for (const w of [visitor, anne, sophie, cedric, night, wall]) await expectClean(w);
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
