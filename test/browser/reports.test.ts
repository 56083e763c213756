import type { Browser, Locator, Page } from 'playwright-core';
import { connectClient, createIncident, onTeardown, startTestServer, waitFor } from '../helpers/testServer';
import { createUser, setRole, testUser } from '../helpers/accounts';
import { collectRejections, getIncidentState } from '../helpers/sessions';
import type { RunningServer } from '../../server/createServer';
import { type Watched, browserSuite, openContext, openRoom, postEntry, signIn, waitLive, openSuiteBrowser, closeSuiteBrowser, expectClean, poll } from './harness';

jest.setTimeout(180_000);

let webRoot = '';
let browser: Browser;

async function personAs(server: RunningServer, email: string): Promise<Watched> {
  const w = await openContext(browser);
  onTeardown(() => w.context.close().catch(() => undefined));
  await signIn(w, server.url, email);
  return w;
}

async function countdownText(page: Page): Promise<string> {
  return (await page.locator('.room-head [data-testid="report-countdown"]').textContent()) ?? '';
}


/** Waits (up to 10 s) for `n` matches, then asserts: the page settles on its own time. */
async function expectCount(locator: Locator, n: number): Promise<void> {
  expect(await poll(() => locator.count(), (c) => c === n)).toBe(n);
}

async function expectText(locator: Locator, text: string): Promise<void> {
  expect(await poll(async () => (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '', (t) => t.includes(text))).toContain(text);
}


browserSuite('situation reports in the browser', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('the countdown runs and turns overdue; a report is drafted from the journal, written together, published, then sealed for everyone', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const aliceUser = await testUser(server.url, 'Alice Martin');
    const bobUser = await testUser(server.url, 'Bob Le Goff');
    expect((await setRole(server.url, id, aliceUser.id, 'director')).status).toBe(200);
    const observerUser = await createUser(server.url, 'Olivia Direction');
    expect((await setRole(server.url, id, observerUser.id, 'observer')).status).toBe(200);

    const alice = await personAs(server, aliceUser.email);
    const bob = await personAs(server, bobUser.email);
    const olivia = await personAs(server, observerUser.email);
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    await postEntry(alice.page, '#alerte !!! Serveurs PACS chiffrés');

    // The director sets a one-minute cadence: the header's countdown shows it and moves on its own.
    await openRoom(alice.page, server.url, id, 'reports');
    await alice.page.getByTestId('cadence-input').fill('1');
    await alice.page.getByTestId('cadence-input').press('Enter');
    await alice.page.waitForFunction(() => /^(Prochain point dans 0:[0-5]\d|⚠)/.test(document.querySelector('.room-head [data-testid="report-countdown"]')?.textContent?.trim() ?? ''));
    const first = await countdownText(alice.page);
    await alice.page.waitForFunction((was) => document.querySelector('.room-head [data-testid="report-countdown"]')?.textContent !== was, first);
    expect(await countdownText(alice.page)).not.toBe(first);
    // Close to the time it turns urgent, then overdue (the incident opened less than a minute ago).
    await alice.page.waitForSelector('.room-head [data-testid="report-countdown"][data-state="overdue"]', { timeout: 90_000 });
    expect(await countdownText(alice.page)).toContain('en retard');
    await expectCount(alice.page.locator('.room-head .report-countdown.due-overdue'), 1);

    // A new report: its sections are filled from the journal.
    await alice.page.getByTestId('new-report').click();
    await alice.page.waitForSelector('[data-testid="report"][data-status="draft"]');
    await alice.page.waitForFunction(() => (document.querySelector('[data-testid="edit-conditions"]') as HTMLTextAreaElement | null)?.value.includes('Serveurs PACS chiffrés'));

    // Bob adds a need in the same draft; Alice sees it in her editor.
    await openRoom(bob.page, server.url, id, 'reports');
    await bob.page.waitForSelector('[data-testid="edit-needs"]');
    const needs = bob.page.getByTestId('edit-needs');
    await needs.click();
    await needs.press('End');
    await bob.page.keyboard.press('Control+End');
    await bob.page.keyboard.type('\nRenfort de deux techniciens DSI');
    await alice.page.waitForFunction(() => (document.querySelector('[data-testid="edit-needs"]') as HTMLTextAreaElement | null)?.value.includes('Renfort de deux techniciens DSI'));

    // The observer does not see drafts.
    await openRoom(olivia.page, server.url, id, 'reports');
    await olivia.page.waitForSelector('[data-testid="reports-view"]');
    await expectCount(olivia.page.locator('[data-testid="report-item"]'), 0);
    await expectCount(olivia.page.getByTestId('new-report'), 0);

    // Publish, with confirmation: sealed, read only everywhere, and the countdown starts again.
    await alice.page.getByTestId('publish').click();
    await alice.page.getByTestId('publish-yes').click();
    for (const p of [alice.page, bob.page, olivia.page]) {
      await p.waitForSelector('[data-testid="report"][data-status="published"] [data-testid="sealed"]');
      await expectCount(p.locator('[data-testid="report"] textarea'), 0);
      await expectCount(p.getByTestId('publish'), 0);
      await expectText(p.getByTestId('section-needs'), 'Renfort de deux techniciens DSI');
    }
    await alice.page.waitForSelector('.room-head [data-testid="report-countdown"]:not([data-state="overdue"])');

    // The management screen shows the latest published report.
    await openRoom(olivia.page, server.url, id, 'management');
    await expectText(olivia.page.getByTestId('mgmt-report'), 'Renfort de deux techniciens DSI');

    // And the server refuses any later edit: the report stays as published.
    const before = (await getIncidentState(server.url, id)).reports;
    expect(before).toHaveLength(1);
    const session = await connectClient(server.url, 'Alice Martin').openIncident(id);
    await session.whenSynced();
    const refused = collectRejections(session);
    session.setReportSection(before[0]!.id, 'needs', 'effacé après publication');
    await waitFor(() => refused.length > 0, (n) => session.onRejected(() => n()), 'the refusal');
    expect(refused[0]!.code).toBe('UPDATE_SEALED');
    expect((await getIncidentState(server.url, id)).reports).toEqual(before);

    for (const w of [alice, bob, olivia]) await expectClean(w);
  });
});
