import type { Browser } from 'playwright-core';
import { until } from '../helpers/poll';
import { onTeardown, startTestServer } from '../helpers/testServer';
import { api } from '../helpers/accounts';
import type { RegulatoryOverview } from '../../server/incidents/regulatoryService';
import { exerciseWorld } from '../exercise/exerciseWorld';
import { browserSuite, closeSuiteBrowser, expectClean, openContext, openSuiteBrowser, signIn, waitLive } from './harness';

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

beforeAll(async () => {
  ({ webRoot, browser } = await openSuiteBrowser());
});
afterAll(() => closeSuiteBrowser({ webRoot, browser }));

/** Hours left on a countdown's text ("reste 70:59:58"). */
const hoursLeft = (text: string | null) => Number(/reste (\d+):/.exec(text ?? '')?.[1] ?? NaN);

browserSuite('exercise clocks in the browser', () => {
  test('in an exercise the regulatory clocks and the report countdown count on the exercise clock, labelled so, and stand still when paused', async () => {
    const server = await startTestServer({ webRoot });
    const w = await exerciseWorld(server.url);
    expect((await api(server.url, `/api/incidents/${w.id}/regulatory/clocks`, { token: w.admin, method: 'PUT', body: { breachAwareAt: new Date().toISOString() } })).status).toBe(200);
    // ×3600: an exercise hour a real second.
    expect((await w.animate('/speed', { factor: 3_600 }, 'PUT')).status).toBe(200);
    expect((await w.animate('/start')).status).toBe(200);

    const player = await openContext(browser, { lang: 'fr' });
    onTeardown(() => player.context.close().catch(() => undefined));
    await signIn(player, server.url, w.player.email);
    await player.page.goto(`${server.url}/#/incident/${w.id}/regulatory`);
    await player.page.waitForSelector('[data-testid="tab-regulatory"][aria-selected="true"]');
    await waitLive(player.page);

    const page = player.page;
    const cnil = page.locator('[data-testid="reg-clock"][data-clock="cnil-72h"]');
    await cnil.waitFor();
    expect(await cnil.getAttribute('data-time')).toBe('exercise');
    expect(await cnil.locator('strong').innerText()).toBe('CNIL — 72 h — horloge d’exercice');
    expect(await page.getByTestId('reg-exercise-clock').innerText()).toContain('Horloge d’exercice');
    const header = page.getByTestId('cnil-countdown');
    expect(await header.getAttribute('data-time')).toBe('exercise');
    expect(await header.locator('.reg-countdown-label').innerText()).toBe('CNIL 72 h — horloge d’exercice');
    const report = page.locator('.room-head [data-testid="report-countdown"]');
    expect(await report.getAttribute('data-time')).toBe('exercise');

    // The countdown runs at the exercise clock's pace: hours go by in seconds.
    const remaining = cnil.getByTestId('clock-remaining');
    const start = hoursLeft(await remaining.textContent());
    await until(async () => hoursLeft(await remaining.textContent()) <= start - 2, 'two exercise hours off the CNIL countdown', 30_000);

    // Paused by the animator: the page learns it on its next fetch of the clock, then the countdown stands still.
    expect((await w.animate('/pause')).status).toBe(200);
    await page.locator('[data-testid="reg-exercise-clock"][data-status="paused"]').waitFor({ timeout: 40_000 });
    // Frozen where the server's paused clock stands: the deadline in exercise time minus the time played.
    const overview = (await api<RegulatoryOverview>(server.url, `/api/incidents/${w.id}/regulatory`, { token: w.player.token })).body;
    const due = overview.clocks.find((c) => c.id === 'cnil-72h')!.exercise!.dueSeconds;
    const left = Math.floor(Math.abs(due * 1000 - overview.exercise!.clock.exerciseMsAtAnchor) / 1000);
    const expected = `reste ${Math.floor(left / 3600)}:${String(Math.floor((left % 3600) / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
    await until(async () => (await remaining.textContent()) === expected, `the countdown frozen at ${expected}`, 5_000);
    await expectClean(player);
  });
});
