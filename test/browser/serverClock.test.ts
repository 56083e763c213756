import type { Browser } from 'playwright-core';
import { createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { adminToken, api, createUser, setRole } from '../helpers/accounts';
import { type Watched, browserSuite, openContext, openRoom, signIn, waitLive, openSuiteBrowser, closeSuiteBrowser, expectClean } from './harness';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
/** How far ahead the browser's clock runs: more than any default report cadence (4 h). */
const BROWSER_AHEAD_MS = 6 * HOUR;

let webRoot = '';
let browser: Browser;

/**
 * Makes the page's clock (Date.now and new Date()) run `shiftMs` ahead of the machine's, as on
 * a laptop whose clock is off. Injected before any page script.
 */
async function shiftPageClock(w: Watched, shiftMs: number): Promise<void> {
  await w.context.addInitScript((shift: number) => {
    const Real = Date;
    class Shifted extends Real {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(Real.now() + shift);
        else super(...(args as [string]));
      }
      static override now(): number {
        return Real.now() + shift;
      }
    }
    (globalThis as { Date: DateConstructor }).Date = Shifted as DateConstructor;
  }, shiftMs);
}


browserSuite('countdowns on the server’s clock', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('a browser whose clock runs six hours ahead still shows the report and CNIL countdowns as the server counts them', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Fuite de données — horloge décalée');
    // Aware 71 h 30 ago: half an hour left on the server's clock (urgent); overdue on the browser's.
    const aware = new Date(Date.now() - 71.5 * HOUR).toISOString();
    expect((await api(server.url, `/api/incidents/${id}/regulatory/clocks`, { method: 'PUT', token: await adminToken(server.url), body: { breachAwareAt: aware } })).status).toBe(200);
    const user = await createUser(server.url, 'Diane Directrice');
    expect((await setRole(server.url, id, user.id, 'director')).status).toBe(200);

    const w = await openContext(browser);
    onTeardown(() => w.context.close().catch(() => undefined));
    await shiftPageClock(w, BROWSER_AHEAD_MS);
    await signIn(w, server.url, user.email);
    await openRoom(w.page, server.url, id, 'log');
    await waitLive(w.page);
    // The page's clock is indeed ahead (the premise of the test).
    expect(await w.page.evaluate(() => Date.now())).toBeGreaterThan(Date.now() + BROWSER_AHEAD_MS - HOUR);

    // The report is due one cadence (at most 4 h) after the opening, a moment ago: not overdue.
    const report = w.page.locator('.room-head [data-testid="report-countdown"]');
    await w.page.waitForSelector('.room-head [data-testid="report-countdown"]:not([data-state="overdue"])', { timeout: 20_000 });
    expect(await report.textContent()).toMatch(/^Prochain point dans/);
    const cnil = w.page.getByTestId('cnil-countdown');
    await w.page.waitForSelector('[data-testid="cnil-countdown"][data-state="urgent"]', { timeout: 20_000 });
    expect(await cnil.textContent()).toMatch(/reste 0:(29|30):\d\d/);

    // The management wall screen counts the same way.
    await openRoom(w.page, server.url, id, 'management');
    await w.page.waitForSelector('[data-testid="management"] [data-testid="report-countdown"]:not([data-state="overdue"])', { timeout: 20_000 });
    await w.page.waitForSelector('[data-testid="management"] [data-testid="cnil-countdown"][data-state="urgent"]', { timeout: 20_000 });
    await expectClean(w);
  });
});
