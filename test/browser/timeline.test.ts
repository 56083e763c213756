import type { Browser, Page } from 'playwright-core';
import { until } from '../helpers/poll';
import { freezeClock } from '../helpers/fakeClock';
import { createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { api, createUser, setRole, testUser } from '../helpers/accounts';
import type { RunningServer } from '../../server/createServer';
import type { LogEntryInput } from '../../shared/model/log';
import { browserSuite, openContext, signIn, waitLive, openSuiteBrowser, closeSuiteBrowser, expectClean, holdLocalCopy, releaseLocalCopy } from './harness';
import { seedDecision, seedTask } from './seed';

jest.setTimeout(90_000);

let webRoot = '';
let browser: Browser;

/** A log entry written over REST by a member (the journal names them as its author). */
async function post(server: RunningServer, incidentId: string, token: string, input: LogEntryInput): Promise<void> {
  const reply = await api(server.url, `/api/incidents/${incidentId}/log`, { token, body: input });
  expect(reply.status).toBe(201);
}

async function marks(page: Page, lane: string): Promise<number> {
  return page.locator(`[data-testid="tl-mark"][data-lane="${lane}"]`).count();
}

async function shownSpan(page: Page): Promise<number> {
  const svg = page.getByTestId('tl-svg');
  return Date.parse((await svg.getAttribute('data-to'))!) - Date.parse((await svg.getAttribute('data-from'))!);
}


browserSuite('timeline view and past state', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('an observer sees the incident in lanes, zooms, reads an event, goes back in time and back to live', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await testUser(server.url, 'Alice Martin');
    const observer = await createUser(server.url, 'Odile Observatrice');
    expect((await setRole(server.url, id, observer.id, 'observer')).status).toBe(200);

    // The server's clock (this process's Date) runs on from now, then jumps to T, the next whole
    // second (the exact-time field has seconds): the later entries are journaled after it.
    const clock = freezeClock({ ticking: true });
    onTeardown(() => clock.restore());
    // Before T: an alert (text with markup, to be shown as text), an information, a task, a decision.
    await post(server, id, alice.token, { text: 'Chiffrement des serveurs de fichiers <b>détecté</b>', category: 'alert', severity: 'critical' });
    await post(server, id, alice.token, { text: 'Standard saturé par les appels', category: 'information' });
    await seedTask(server, id, { title: 'Isoler le VLAN imagerie', priority: 'urgent' }, 'Alice Martin', new Date());
    await seedDecision(server, id, { title: 'Couper l’accès Internet', statement: 'Coupure totale des flux sortants' }, 'Alice Martin', new Date(), [{ status: 'approved', by: 'Alice Martin', at: new Date() }]);
    const t = (Math.floor(Date.now() / 1000) + 1) * 1000;
    clock.advance(t + 20 - Date.now());
    await post(server, id, alice.token, { text: 'Messagerie rétablie partiellement', category: 'action', key: true });
    await seedDecision(server, id, { title: 'Déclencher le plan blanc' }, 'Alice Martin', new Date());

    const w = await openContext(browser);
    onTeardown(() => w.context.close().catch(() => undefined));
    await signIn(w, server.url, observer.email);
    const { page } = w;
    await page.goto(`${server.url}/#/incident/${id}/log`);
    await waitLive(page);
    // Reachable by keyboard: Alt+L.
    await page.keyboard.press('Alt+KeyL');
    await page.waitForSelector('[data-testid="tab-timeline"][aria-selected="true"]');
    expect(await page.getByTestId('tab-timeline').textContent()).toContain('Chronologie');

    // Lanes: every seeded event in its own, and the incident's opening.
    await page.locator('[data-testid="tl-mark"]').first().waitFor();
    expect(await marks(page, 'log:alert')).toBe(1);
    expect(await marks(page, 'log:information')).toBe(1);
    expect(await marks(page, 'log:action')).toBe(1);
    expect(await marks(page, 'log:decision')).toBe(0);
    expect(await marks(page, 'tasks')).toBe(1);
    expect(await marks(page, 'decisions')).toBe(3); // proposed and approved in one record, then another proposed
    expect(await marks(page, 'incident')).toBe(1);
    const alert = page.locator('[data-testid="tl-mark"][data-lane="log:alert"]');
    expect(await alert.getAttribute('aria-label')).toContain('Alice Martin');
    // Detection is drawn as a line; the CNIL deadline (72 h later) is stated at the edge.
    await page.locator('[data-line="detection"]').waitFor();
    expect(await page.locator('.tl-offscale').allTextContents()).toEqual([expect.stringContaining('CNIL 72 h')]);

    // Zoom: the button, then the keyboard (+, 0 to fit).
    const fit = await shownSpan(page);
    await page.getByTestId('tl-zoom-in').click();
    await until(async () => (await shownSpan(page)) < fit * 0.6, 'zoom in by button');
    await page.keyboard.press('0');
    await until(async () => (await shownSpan(page)) === fit, 'fit again');
    await page.getByTestId('tl-svg').focus();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await until(async () => (await shownSpan(page)) < fit * 0.3, 'zoom in by keyboard');
    await page.keyboard.press('0');
    await until(async () => (await shownSpan(page)) === fit, 'fit by keyboard');
    // The wheel zooms around the pointer; a drag pans (same span, later start).
    const box = (await page.getByTestId('tl-svg').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await until(async () => (await shownSpan(page)) < fit * 0.9, 'zoom in by wheel');
    const zoomed = await shownSpan(page);
    const fromBefore = Date.parse((await page.getByTestId('tl-svg').getAttribute('data-from'))!);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await until(async () => Date.parse((await page.getByTestId('tl-svg').getAttribute('data-from'))!) > fromBefore, 'pan by drag');
    expect(Math.abs((await shownSpan(page)) - zoomed)).toBeLessThanOrEqual(2); // times are shown to the millisecond
    await page.keyboard.press('0');
    await until(async () => (await shownSpan(page)) === fit, 'fit after the wheel');

    // Details on hover: time, author, the text as text (no markup interpreted).
    await alert.hover();
    const details = page.getByTestId('tl-details');
    await until(async () => (await details.getAttribute('data-id')) === (await alert.getAttribute('data-id')), 'details of the hovered alert');
    expect(await page.getByTestId('tl-details-author').textContent()).toBe('Alice Martin');
    expect(await page.getByTestId('tl-details-text').textContent()).toBe('Chiffrement des serveurs de fichiers <b>détecté</b>');
    expect(await details.locator('b').count()).toBe(0);
    // …and on focus: Enter goes to the first event, → to the next.
    await page.getByTestId('tl-svg').focus();
    await page.keyboard.press('Enter');
    const first = await details.getAttribute('data-id');
    await page.keyboard.press('ArrowRight');
    await until(async () => (await details.getAttribute('data-id')) !== first, 'details follow the focus');

    // From an event to the incident as it was at that moment.
    const focusedAt = await page.getByTestId('tl-details-time').getAttribute('datetime');
    await page.getByTestId('tl-state-here').click();
    expect(await page.getByTestId('past-state').getAttribute('data-at')).toBe(focusedAt);
    await page.getByTestId('back-to-live').click();
    await page.getByTestId('past-state').waitFor({ state: 'detached' });

    // As it was at T: exactly the entries that existed then.
    const local = await page.evaluate((ms) => {
      const d = new Date(ms);
      const p = (v: number) => String(v).padStart(2, '0');
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, t);
    await page.getByTestId('tl-at').fill(local);
    const pastState = page.getByTestId('past-state');
    await pastState.waitFor();
    expect(await pastState.getAttribute('data-at')).toBe(new Date(t).toISOString());
    await page.locator('[data-testid="past-state"][data-loading="false"] [data-testid="past-entry"]').first().waitFor();
    expect(await page.getByTestId('past-banner').textContent()).toContain('lecture seule');
    const texts = await page.getByTestId('past-entry-text').allTextContents();
    expect(texts.sort()).toEqual(['Chiffrement des serveurs de fichiers <b>détecté</b>', 'Standard saturé par les appels']);
    expect(await page.getByTestId('past-task').allTextContents()).toEqual([expect.stringContaining('Isoler le VLAN imagerie')]);
    expect(await page.locator('[data-testid="past-decision"]').getAttribute('data-status')).toBe('approved'); // one: the later one is not there
    await page.getByTestId('tl-cursor').waitFor({ state: 'attached' }); // a line: no area, never "visible"

    // Back to live.
    await page.getByTestId('back-to-live').click();
    await pastState.waitFor({ state: 'detached' });
    expect(await page.getByTestId('tl-cursor').count()).toBe(0);

    // Live: a new entry reaches the picture without a click (debounced refresh).
    await post(server, id, alice.token, { text: 'Point de situation 10 h', category: 'communication' });
    await until(async () => (await marks(page, 'log:communication')) === 1, 'the live entry on the timeline');

    // English: the tab and the lanes follow the language.
    await page.locator('button.lang-switch').click();
    await until(async () => (await page.getByTestId('tab-timeline').textContent())!.includes('Timeline'), 'the tab in English');
    expect(await page.locator('.tl-lane[data-lane="log:alert"] text').textContent()).toBe('Log — Alert');

    await expectClean(w);
  });

  test('the timeline draws from the server while the log document is still opening, and the room comes around it', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Inondation — crue de la Loire');
    const alice = await testUser(server.url, 'Alice Martin');
    await post(server, id, alice.token, { text: 'Digue fragilisée à Saumur', category: 'alert', severity: 'high' });
    await post(server, id, alice.token, { text: 'Évacuation du quartier des Ponts', category: 'action' });

    const w = await openContext(browser);
    onTeardown(() => w.context.close().catch(() => undefined));
    // The local copy of the log is held: the incident's documents cannot open, as while a large copy loads.
    await holdLocalCopy(w.context, 'log');
    await signIn(w, server.url, alice.email);
    const { page } = w;
    await page.goto(`${server.url}/#/incident/${id}/timeline`);
    await page.locator('[data-testid="tl-mark"][data-lane="log:alert"]').waitFor();
    expect(await marks(page, 'log:action')).toBe(1);
    // Not the room yet: its tabs come with the documents.
    expect(await page.getByTestId('tab-timeline').count()).toBe(0);

    await releaseLocalCopy(page);
    await page.waitForSelector('[data-testid="tab-timeline"][aria-selected="true"]');
    await waitLive(page);
    // The same picture, in the room.
    expect(await marks(page, 'log:alert')).toBe(1);
    expect(await marks(page, 'log:action')).toBe(1);
    // Live from now on: a new entry reaches the picture without a click.
    await post(server, id, alice.token, { text: 'Point de situation 14 h', category: 'communication' });
    await until(async () => (await marks(page, 'log:communication')) === 1, 'the live entry on the timeline');
    await expectClean(w);
  });
});
