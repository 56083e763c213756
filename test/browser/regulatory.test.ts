import type { Browser, Page } from 'playwright-core';
import { until } from '../helpers/poll';
import { createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { adminToken, api, createUser, setRole } from '../helpers/accounts';
import type { RunningServer } from '../../server/createServer';
import { type Watched, browserSuite, openContext, signIn, waitLive, openSuiteBrowser, closeSuiteBrowser, expectClean } from './harness';

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

/** Someone with a role in the incident, logged in, in the Regulatory view. */
async function inRoom(server: RunningServer, id: string, name: string, role: 'director' | 'member'): Promise<Watched> {
  const user = await createUser(server.url, name);
  expect((await setRole(server.url, id, user.id, role)).status).toBe(200);
  const w = await openContext(browser);
  onTeardown(() => w.context.close().catch(() => undefined));
  await signIn(w, server.url, user.email);
  await w.page.goto(`${server.url}/#/incident/${id}/regulatory`);
  await w.page.waitForSelector('[data-testid="tab-regulatory"][aria-selected="true"]');
  await waitLive(w.page);
  return w;
}

const countdown = (page: Page) => page.getByTestId('cnil-countdown');


browserSuite('regulatory clocks and drafts in the browser', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('the 72-hour countdown is in the header and runs without reload; the director restarts it from the awareness time', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Fuite de données patients');
    // Aware 71 h 30 ago: half an hour left, urgent.
    const aware = new Date(Date.now() - 71.5 * 3_600_000).toISOString();
    expect((await api(server.url, `/api/incidents/${id}/regulatory/clocks`, { method: 'PUT', token: await adminToken(server.url), body: { breachAwareAt: aware } })).status).toBe(200);

    const director = await inRoom(server, id, 'Diane Directrice', 'director');
    const page = director.page;
    await countdown(page).waitFor();
    expect(await countdown(page).getAttribute('data-state')).toBe('urgent');
    const first = (await countdown(page).textContent())!;
    expect(first).toMatch(/reste 0:(29|30):\d\d/);
    // It counts down by itself: the text changes, the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42));
    await until(async () => (await countdown(page).textContent()) !== first, 'the countdown to change');
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(42);
    const second = (await countdown(page).textContent())!;
    expect(second).toMatch(/reste 0:(29|30):\d\d/);

    // The Regulatory view lists the clock with its legal basis, same state.
    const clock = page.locator('[data-testid="reg-clock"][data-clock="cnil-72h"]');
    await expect(clock.getAttribute('data-state')).resolves.toBe('urgent');
    await expect(clock.textContent()).resolves.toContain('RGPD art. 33');

    // The director records "aware now": the clock starts again at 72 h, no longer urgent.
    await page.getByRole('button', { name: 'Maintenant' }).click();
    await page.getByTestId('save-awareness').click();
    await until(async () => (await countdown(page).getAttribute('data-state')) === 'running', 'the clock to restart');
    expect(await countdown(page).textContent()).toMatch(/reste 7[12]:\d\d:\d\d/);
    await page.locator('[data-testid="connection"][data-pending="0"]').waitFor();
    const state = await api<{ clocks: Array<{ id: string; from: string }> }>(server.url, `/api/incidents/${id}/regulatory`, { token: await adminToken(server.url) });
    expect(Date.parse(state.body.clocks[0]!.from)).toBeGreaterThan(Date.parse(aware) + 71 * 3_600_000);
    // The management wall screen shows the same countdown, with no control.
    await page.goto(`${server.url}/#/incident/${id}/management`);
    await page.getByTestId('management').waitFor();
    await expect(countdown(page).textContent()).resolves.toMatch(/reste 7[12]:\d\d:\d\d/);
    expect(await page.locator('[data-testid="management"] button, [data-testid="management"] input').count()).toBe(0);
    await expectClean(director);
  });

  test('a member drafts a CNIL notification: prefilled, missing mandatory fields highlighted, no awareness control', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Fuite de données patients');
    const alice = await inRoom(server, id, 'Alice Martin', 'member');
    const page = alice.page;
    // Not the director: the awareness times are shown, not editable.
    await page.getByTestId('reg-facts').waitFor();
    expect(await page.getByTestId('reg-awareness').count()).toBe(0);

    await page.getByTestId('new-draft-kind').selectOption('cnil_initial');
    await page.getByTestId('create-draft').click();
    const editor = page.getByTestId('reg-editor');
    await editor.waitFor();
    // Prefilled from the incident: its title is in the description.
    await expect(editor.locator('textarea').first().inputValue()).resolves.toBe('');
    const description = editor.locator('.reg-field', { hasText: 'Nature de la violation' }).locator('textarea');
    await expect(description.inputValue()).resolves.toContain('Fuite de données patients');
    await expect(page.getByTestId('reg-missing').textContent()).resolves.toContain('Coordonnées du DPO');
    const dpo = editor.locator('.reg-field', { hasText: 'Coordonnées du DPO' });
    await expect(dpo.getAttribute('data-missing')).resolves.toBe('true');
    expect(await page.getByTestId('mark-sent').isDisabled()).toBe(true);

    // Typing a field and leaving it writes it; it is no longer flagged.
    await dpo.locator('textarea').fill('dpo@chu.example');
    await dpo.locator('textarea').press('Tab');
    await until(async () => (await dpo.getAttribute('data-missing')) === 'false', 'the DPO contact to count as filled');
    await expect(page.getByTestId('reg-missing').textContent()).resolves.not.toContain('Coordonnées du DPO');
    expect(await page.getByTestId('export-pdf').getAttribute('href')).toMatch(new RegExp(`/api/incidents/${id}/regulatory/[0-9a-z]+\\?format=pdf&lang=(fr|en)&tz=[^&]+$`));
    await expectClean(alice);
  });

  test('marking a complete draft sent asks for confirmation, then the draft is sealed and read only, and the log has the entry', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Fuite de données patients');
    const alice = await inRoom(server, id, 'Alice Martin', 'member');
    const page = alice.page;
    const director = await adminToken(server.url);
    const body = {
      kind: 'cnil_initial',
      description: 'Exfiltration de dossiers',
      dataCategories: 'Santé',
      peopleCategories: 'Patients',
      peopleCount: 'environ 1 000',
      recordsCount: 'environ 3 000',
      dpoName: 'Claire Dubois',
      dpoContact: 'dpo@chu.example',
      consequences: 'Atteinte à la confidentialité',
      measures: 'Isolement du serveur',
    };
    const created = await api<{ draft: { id: string } }>(server.url, `/api/incidents/${id}/regulatory`, { token: director, body });
    expect(created.status).toBe(201);
    const row = page.locator(`[data-testid="reg-draft"][data-id="${created.body.draft.id}"]`);
    await row.getByRole('button').click();
    await expect(page.getByTestId('reg-editor').textContent()).resolves.toContain('complet');
    await page.getByTestId('mark-sent').click();
    await page.getByTestId('sent-via').fill('téléservice CNIL');
    await page.getByTestId('sent-reference').fill('CNIL-42');
    await page.getByTestId('sent-reference').press('Enter');
    // Nothing is sent before the explicit confirmation (focused, so Enter confirms).
    const confirm = page.getByTestId('confirm-sent');
    await confirm.waitFor();
    expect((await api<{ drafts: Array<{ draft: { status: string } }> }>(server.url, `/api/incidents/${id}/regulatory`, { token: director })).body.drafts[0]!.draft.status).toBe('draft');
    await confirm.press('Enter');
    await page.getByTestId('reg-sealed').waitFor();
    await expect(page.getByTestId('reg-sealed').textContent()).resolves.toContain('CNIL-42');
    await expect(row.getAttribute('data-status')).resolves.toBe('sent');
    for (const area of await page.getByTestId('reg-editor').locator('textarea').all()) expect(await area.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('mark-sent').count()).toBe(0);
    // The header countdown says the notification is sent.
    await until(async () => (await countdown(page).getAttribute('data-state')) === 'met', 'the CNIL clock to be met');
    const state = await api<{ log: Array<{ text: string; category: string }> }>(server.url, `/api/incidents/${id}`, { token: director });
    expect(state.body.log).toEqual([expect.objectContaining({ category: 'communication', text: expect.stringContaining('Notification CNIL initiale envoyée via téléservice CNIL — réf. CNIL-42') })]);
    await expectClean(alice);
  });
});
