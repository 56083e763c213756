import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { onTeardown, startTestServer } from '../helpers/testServer';
import { adminToken, api, createUser, setRole } from '../helpers/accounts';
import type { IncidentRole } from '../../shared/auth/roles';
import type { RunningServer } from '../../server/createServer';
import { type ContextOptions, type Watched, browserSuite, closeSuiteBrowser, entryLocator, expectClean, openContext, openSuiteBrowser, poll, seriousViolations, signIn, waitLive } from './harness';

/**
 * An exercise played in the browser (issue 17): the animator fires an inject from the Animation
 * tab, the player sees it arrive in the log, marked, and a notice for the role they hold; the
 * EXERCICE band is on every tab and on the wall screen, at every size; the player never sees the
 * Animation tab; the evaluator reads the chronogram without the clock and records an observation.
 */

jest.setTimeout(240_000);

let webRoot = '';
let browser: Browser;

const JOURNALIST = 'on me dit que votre hôpital est victime';
const SIZES = { phone: { width: 390, height: 844 }, tablet: { width: 820, height: 1180 }, desktop: { width: 1440, height: 900 }, wall: { width: 1920, height: 1080 } } as const;

async function exercise(server: RunningServer): Promise<string> {
  const created = await api<{ id: string; exercise: boolean }>(server.url, '/api/incidents', {
    token: await adminToken(server.url),
    body: { title: 'Exercice CaRE — rançongiciel', scenario: 'hospital-ransomware', language: 'fr' },
  });
  expect(created.status).toBe(201);
  expect(created.body.exercise).toBe(true);
  return created.body.id;
}

async function personWithRole(server: RunningServer, name: string, id: string, role: IncidentRole, extra: ContextOptions = {}): Promise<Watched & { userId: string }> {
  const user = await createUser(server.url, name);
  expect((await setRole(server.url, id, user.id, role)).status).toBe(200);
  const w = await openContext(browser, { lang: 'fr', ...extra });
  onTeardown(() => w.context.close().catch(() => undefined));
  await signIn(w, server.url, user.email);
  return { ...w, userId: user.id };
}

/** The band is there, says EXERCICE, and sits inside the window (not scrolled or pushed away). */
async function expectBand(page: Page, where: string): Promise<void> {
  const band = page.getByTestId('exercise-banner');
  await band.waitFor({ state: 'visible' });
  expect(await band.locator('.exercise-banner-mark').innerText()).toBe('EXERCICE');
  const box = await band.boundingBox();
  const viewport = page.viewportSize()!;
  if (!box || box.y < 0 || box.y + box.height > viewport.height || box.height < 10) throw new Error(`${where}: the exercise band is out of sight (${JSON.stringify(box)})`);
  expect(await page.evaluate(() => document.documentElement.classList.contains('exercise'))).toBe(true);
}

/** Every tab of the room, clicked one after the other, shows the band. */
async function expectBandOnEveryTab(page: Page, where: string): Promise<string[]> {
  const tabs = await page.locator('[role="tab"]').evaluateAll((all) => all.map((a) => a.getAttribute('data-testid') ?? ''));
  expect(tabs.length).toBeGreaterThanOrEqual(7);
  for (const tab of tabs) {
    await page.getByTestId(tab).click();
    await page.locator(`[data-testid="${tab}"][aria-selected="true"]`).waitFor();
    await expectBand(page, `${where} ${tab}`);
  }
  return tabs;
}

/** The animator names the player as the communication lead, by ticking them in the Animation tab. */
async function nameCommunicationLead(animator: Page, playerId: string): Promise<void> {
  const role = animator.locator('[data-testid="role-holders"][data-role="communication"]');
  await role.locator(`input[data-user="${playerId}"]`).check();
  await role.getByTestId('role-save').click();
  await poll(() => role.getByTestId('role-save').isDisabled(), (done) => done, { label: 'the role holders saved' });
}

browserSuite('exercise played in the browser', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });
  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('the animator fires an inject; the player sees it live, marked, with a notice; the band is on every view', async () => {
    const server = await startTestServer({ webRoot });
    const id = await exercise(server);
    const player = await personWithRole(server, 'Claire Petit (communication)', id, 'member');
    // axe is injected as a script tag: the animator's context bypasses the CSP (the player's keeps it).
    const animator = await personWithRole(server, 'Paul Animateur', id, 'animator', { bypassCSP: true, viewport: SIZES.desktop });

    await animator.page.goto(`${server.url}/#/incident/${id}/animation`);
    await animator.page.getByTestId('chronogram').waitFor();
    await expectBand(animator.page, 'animator');
    await nameCommunicationLead(animator.page, player.userId);
    await animator.page.getByTestId('clock-start').click();
    await animator.page.locator('[data-testid="clock-controls"][data-status="running"]').waitFor();

    await player.page.goto(`${server.url}/#/incident/${id}/log`);
    await waitLive(player.page);
    await player.page.locator('[data-testid="exercise-banner"][data-status="running"]').waitFor({ timeout: 20_000 });
    expect(await player.page.getByTestId('tab-animation').count()).toBe(0);

    // The animator fires the journalist's call (addressed to the communication lead) with a click.
    const row = animator.page.locator('[data-testid="chronogram-inject"][data-inject="journalist-call"]');
    await row.getByTestId('inject-fire').click();
    await animator.page.locator('[data-testid="chronogram-inject"][data-inject="journalist-call"][data-status="fired"]').waitFor();

    // The player's log shows it live, marked as an inject; the player, communication lead, gets the notice.
    const entry = entryLocator(player.page, JOURNALIST);
    await entry.waitFor({ timeout: 20_000 });
    // The log's inject mark (components/log, branch h2-injref).
    await entry.getByTestId('inject-badge').waitFor();
    const notice = player.page.locator('[data-testid="inject-notice"][data-inject="journalist-call"]');
    await notice.waitFor({ timeout: 20_000 });
    expect(await notice.getAttribute('data-to')).toBe('communication');
    expect(await notice.innerText()).toContain('Responsable communication');
    expect(await notice.innerText()).toContain('Journaliste, quotidien régional');
    // Kept until read, then gone.
    await notice.getByTestId('notice-read').click();
    await poll(() => notice.count(), (n) => n === 0, { label: 'the notice gone once read' });

    // The pace set by the animator shows on the player's band.
    await animator.page.getByTestId('speed-10').click();
    await animator.page.locator('[data-testid="speed-10"][aria-pressed="true"]').waitFor();
    await poll(() => player.page.getByTestId('exercise-speed').allInnerTexts(), (texts) => texts.some((x) => x.includes('×10')), { label: 'the speed on the player\'s band', timeoutMs: 20_000 });

    // The player answers the call (select it, `r`, type, Enter); the debrief's picture draws the answer.
    await entry.getByTestId('entry-text').click();
    await player.page.keyboard.press('r');
    await player.page.getByTestId('reply-chip').waitFor();
    await player.page.keyboard.type('Journaliste rappelé, message validé par la direction');
    await player.page.keyboard.press('Enter');
    await player.page.getByTestId('reply-chip').waitFor({ state: 'detached' });
    const debrief = animator.page.getByTestId('debrief');
    const linksDrawn = async () => {
      await debrief.getByTestId('debrief-redraw').click();
      const src = (await debrief.getByTestId('debrief-picture').getAttribute('src')) ?? '';
      return decodeURIComponent(src).match(/<line [^>]*stroke-width="1.2"/g)?.length ?? 0;
    };
    await poll(linksDrawn, (n) => n === 1, { label: 'the answer drawn on the debrief', timeoutMs: 20_000 });
    expect(await debrief.getByTestId('debrief-pdf').getAttribute('href')).toContain('format=pdf');

    const violations = await seriousViolations(animator.page);
    expect(violations).toEqual([]);
    await screenshot(animator.page);
    await screenshotDebrief(animator.page);

    const tabs = await expectBandOnEveryTab(player.page, 'player');
    expect(tabs).not.toContain('tab-animation');
    for (const [size, viewport] of Object.entries(SIZES)) {
      await player.page.setViewportSize(viewport);
      await player.page.getByTestId('tab-log').click();
      await expectBand(player.page, `player ${size}`);
    }
    for (const w of [player, animator]) await expectClean(w);
  });

  test('the wall screen carries the band at every size; the evaluator reads the chronogram and records an observation', async () => {
    const server = await startTestServer({ webRoot });
    const id = await exercise(server);
    const observer = await personWithRole(server, 'Direction générale', id, 'observer', { viewport: SIZES.wall });
    await observer.page.goto(`${server.url}/#/incident/${id}/management`);
    await observer.page.getByTestId('management').waitFor();
    for (const [size, viewport] of Object.entries(SIZES)) {
      await observer.page.setViewportSize(viewport);
      await expectBand(observer.page, `management ${size}`);
    }
    await observer.page.goto(`${server.url}/#/incident/${id}/log`);
    await observer.page.locator('[data-testid="tab-log"][aria-selected="true"]').waitFor();
    await expectBandOnEveryTab(observer.page, 'observer');

    const evaluator = await personWithRole(server, 'Eva Évaluatrice', id, 'evaluator');
    await evaluator.page.goto(`${server.url}/#/incident/${id}/animation`);
    await evaluator.page.getByTestId('chronogram').waitFor();
    expect(await evaluator.page.getByTestId('clock-controls').count()).toBe(0);
    expect(await evaluator.page.getByTestId('inject-fire').count()).toBe(0);
    await evaluator.page.getByTestId('observation-text').fill('La cellule tarde à convoquer le RSSI.');
    await evaluator.page.getByTestId('observation-inject').selectOption('network-cut');
    await evaluator.page.getByTestId('observation-save').click();
    await evaluator.page.locator('[data-testid="observation"]', { hasText: 'La cellule tarde à convoquer le RSSI.' }).waitFor();
    for (const w of [observer, evaluator]) await expectClean(w);
  });

  test('an exercise is prepared from a scenario on the list page; its members tab offers the animator and evaluator roles', async () => {
    const server = await startTestServer({ webRoot });
    const admin = await createUser(server.url, 'Dr Anne Martin', { admin: true });
    const w = await openContext(browser, { lang: 'en' });
    onTeardown(() => w.context.close().catch(() => undefined));
    await signIn(w, server.url, admin.email);
    await w.page.goto(`${server.url}/#/`);
    await w.page.getByTestId('new-exercise').locator('summary').click();
    await w.page.getByTestId('exercise-title').fill('CaRE exercise 2026');
    await w.page.getByTestId('exercise-scenario').selectOption('hospital-ransomware');
    await w.page.getByTestId('exercise-create').click();
    await w.page.locator('[data-testid="tab-members"][aria-selected="true"]').waitFor();
    await w.page.getByTestId('exercise-banner').waitFor();
    expect(await w.page.locator('.exercise-banner-mark').innerText()).toBe('EXERCISE');
    const offered = await w.page.locator('#add-member-role option').evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['animator', 'evaluator']));
    await expectClean(w);
  });
});

/** docs/screenshots with UPDATE_SCREENSHOTS=1 (refreshing the committed pictures), else a temporary folder. */
function shotsDir(): string {
  return process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve(__dirname, '..', '..', 'docs', 'screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-shots-'));
}

/** The README's picture of a debrief, beside the animator's view. */
async function screenshotDebrief(page: Page): Promise<void> {
  const shots = shotsDir();
  await page.getByTestId('debrief').screenshot({ path: path.join(shots, 'exercise-debrief.png'), animations: 'disabled' });
}

/** The README's picture of the animator's view (UPDATE_SCREENSHOTS=1 refreshes the committed one, as roomScreenshots.test.ts). */
async function screenshot(page: Page): Promise<void> {
  const shots = shotsDir();
  fs.mkdirSync(shots, { recursive: true });
  await page.mouse.move(0, 0);
  // From the top of the view: the clock, then the chronogram.
  await page.evaluate(() => document.querySelector('.page-panel')?.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shots, 'exercise-animator.png'), animations: 'disabled' });
}
