import type { Browser, Page } from 'playwright-core';
import { createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { testUser } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import type { RunningServer } from '../../server/createServer';
import { browserSuite, entryLocator, openContext, openRoom, pageCspViolations, signIn, waitLive, openSuiteBrowser, closeSuiteBrowser } from './harness';

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

async function person(server: RunningServer, name: string) {
  const user = await testUser(server.url, name);
  const w = await openContext(browser);
  onTeardown(() => w.context.close().catch(() => undefined));
  await signIn(w, server.url, user.email);
  return w;
}

/** Waits until the element with this test id holds the keyboard focus. */
async function focused(page: Page, testId: string): Promise<void> {
  await page.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === id, testId, { timeout: 10_000 });
}

browserSuite('crisis-cell practice in the browser', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('paper transcription by keyboard alone, then checking the entries with keys 1 to 4, then the handover', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Panne informatique');
    const alice = await person(server, 'Alice Martin');
    const { page } = alice;
    await openRoom(page, server.url, id, 'log');
    await waitLive(page);

    // Alt+P: transcription mode, the time field first.
    await page.keyboard.press('Alt+KeyP');
    await focused(page, 'paper-time');
    // The sheet's header (the date, its number) comes before the line, as on the paper.
    await page.keyboard.press('Shift+Tab');
    await focused(page, 'paper-sheet');
    await page.keyboard.type('F3');
    await page.keyboard.press('Tab');
    await focused(page, 'paper-time');
    await page.keyboard.type('03:10');
    await page.keyboard.press('Enter');
    await focused(page, 'paper-writer');
    await page.keyboard.type('Dr Durand');
    await page.keyboard.press('Enter');
    await focused(page, 'paper-text');
    await page.keyboard.type('Coupure électrique bâtiment B');
    await page.keyboard.press('Enter');
    // Next line: back to the time; the writer is kept, so Enter goes straight to the text.
    await focused(page, 'paper-time');
    await page.keyboard.type('03:25');
    await page.keyboard.press('Enter');
    await focused(page, 'paper-text');
    await page.keyboard.type('Groupe électrogène démarré');
    await page.keyboard.press('Enter');
    await focused(page, 'paper-time');

    await entryLocator(page, 'Groupe électrogène démarré').waitFor();
    await expect(entryLocator(page, 'Coupure électrique bâtiment B').getByTestId('paper-badge').textContent()).resolves.toContain('Dr Durand');
    let state = await getIncidentState(server.url, id);
    for (let i = 0; i < 50 && state.log.length < 2; i++) state = await getIncidentState(server.url, id);
    expect(state.log.map((e) => [e.author, e.paper, new Date(e.eventAt!).toLocaleTimeString('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })])).toEqual([
      ['Alice Martin', { writer: 'Dr Durand', sheet: 'F3' }, '03:10'],
      ['Alice Martin', { writer: 'Dr Durand', sheet: 'F3' }, '03:25'],
    ]);

    // Alt+V: the verification control of the newest entry; 2 then 3 record two changes.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+KeyV');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'verif-button');
    await page.keyboard.press('2');
    await page.keyboard.press('3');
    const newest = entryLocator(page, 'Groupe électrogène démarré');
    await newest.locator('[data-verif="confirmed"]').waitFor();
    await page.keyboard.press('Enter');
    // The history opens on the next render: wait for it before counting.
    await newest.getByTestId('verif-history').locator('li').nth(1).waitFor();
    await expect(newest.getByTestId('verif-history').locator('li').count()).resolves.toBe(2);
    // The filter reads the current state, not the entry's own field.
    await page.getByTestId('filter-verification').selectOption('confirmed');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="log-entry"]').length === 1);
    await page.getByTestId('filter-verification').selectOption('');

    // The handover panel, from the incident's opening for someone who never left.
    await page.getByTestId('handover-button').click();
    const panel = page.getByTestId('handover-panel');
    await panel.getByTestId('handover-entries').locator('li').nth(1).waitFor();
    await expect(panel.getByTestId('handover-verifications').locator('li').count()).resolves.toBe(2);

    expect(alice.pageErrors).toEqual([]);
    expect(alice.cspViolations).toEqual([]);
    expect(await pageCspViolations(page)).toEqual([]);
  });
});
