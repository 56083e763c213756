import type { Browser, Page } from 'playwright-core';
import { adminToken, api, createUser, setRole, testUser } from '../helpers/accounts';
import { connectClient, createIncident, onTeardown, startTestServer, tempDir, waitFor } from '../helpers/testServer';
import { getIncidentState, sessionChanges } from '../helpers/sessions';
import { freePort, startServerProcess } from '../helpers/serverProcess';
import { Watched, browserSuite, closeSuiteBrowser, entryLocator, expectClean, openContext, openRoom, openSuiteBrowser, postEntry, signIn, waitLive } from './harness';

jest.setTimeout(180_000);

let webRoot = '';
let browser: Browser;

/** Someone on their own laptop, logged in as the helpers' user of that name (a member of every helper incident). */
async function person(url: string, name: string, extra: Parameters<typeof openContext>[1] = {}): Promise<Watched> {
  const user = await testUser(url, name);
  const w = await openContext(browser, extra);
  onTeardown(() => w.context.close().catch(() => undefined));
  await signIn(w, url, user.email);
  return w;
}

/** Marks the page's JavaScript world: the mark survives only if the page was never reloaded. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __notReloaded: boolean }).__notReloaded = true;
  });
}

async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true);
}

/** Waits for the page's connection display to say `status` (the bound is a wait, not a timing claim). */
function connectionIs(page: Page, status: string, timeoutMs = 20_000): Promise<unknown> {
  return page.waitForSelector(`[data-testid="connection"][data-status="${status}"]`, { timeout: timeoutMs });
}

browserSuite('restarts strand no page', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });
  afterAll(async () => {
    await closeSuiteBrowser({ webRoot, browser });
  });

  test('SIGTERM restart of a single server: the room and the wall screen are live again without a reload, and edits made meanwhile land everywhere', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const env = { WEB_ROOT: webRoot, SHUTDOWN_GRACE_SECONDS: '10' };
    const first = await startServerProcess({ dataDir, port, env });
    const url = first.url;
    const id = await createIncident(url);
    const alice = await person(url, 'Alice Martin');
    const wall = await person(url, 'Écran direction', { viewport: { width: 1920, height: 1080 } });
    const bobClient = connectClient(url, 'Bob Le Goff');
    const bob = await bobClient.openIncident(id);
    await openRoom(alice.page, url, id, 'log');
    await openRoom(wall.page, url, id, 'management');
    await Promise.all([waitLive(alice.page), waitLive(wall.page), bob.whenSynced()]);
    await Promise.all([markPage(alice.page), markPage(wall.page)]);
    await postEntry(alice.page, 'Avant l’arrêt du serveur');
    await waitFor(() => bob.log.entries().some((e) => e.text === 'Avant l’arrêt du serveur'), sessionChanges(bob), 'bob sees the first entry');

    // The operator stops the server (SIGTERM): it drains and exits cleanly.
    expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await Promise.all([connectionIs(alice.page, 'reconnecting'), connectionIs(wall.page, 'reconnecting')]);
    // Both say when they last heard from the server.
    await expect(alice.page.getByTestId('last-contact').textContent()).resolves.toMatch(/dernier contact \d\d:\d\d:\d\d/);
    await expect(wall.page.getByTestId('last-contact').textContent()).resolves.toMatch(/Dernier contact avec le serveur\u202F: \d\d:\d\d:\d\d/);

    // While it is down: Alice types in her page, Bob writes through the SDK.
    await postEntry(alice.page, '#alerte Standard saturé, écrit pendant l’arrêt');
    await entryLocator(alice.page, 'Standard saturé, écrit pendant l’arrêt').waitFor();
    bob.appendLog({ text: 'Bob, écrit pendant l’arrêt' });
    bob.recordDecision({ title: 'Déclencher le plan blanc', status: 'approved' });

    const second = await startServerProcess({ dataDir, port, env });
    // Written by REST right after the return: the server has it; every page must get it.
    expect((await api(url, `/api/incidents/${id}/log`, { token: await adminToken(url), body: { text: 'Par REST, après le retour' } })).status).toBe(201);
    // Live again within 10 s of the server's return, by themselves.
    await Promise.all([connectionIs(alice.page, 'live', 10_000), connectionIs(wall.page, 'live', 10_000)]);
    await bob.whenAcknowledged();

    // Alice's page: Bob's offline entry and the REST entry arrived; her own offline entry was confirmed.
    await entryLocator(alice.page, 'Bob, écrit pendant l’arrêt').waitFor();
    await entryLocator(alice.page, 'Par REST, après le retour').waitFor();
    await alice.page.waitForSelector('[data-testid="connection"][data-pending="0"]');
    // The wall: Bob's decision and Alice's alert typed offline.
    await wall.page.locator('[data-testid="mgmt-decision"]', { hasText: 'Déclencher le plan blanc' }).waitFor();
    await wall.page.locator('[data-testid="mgmt-alert"]', { hasText: 'Standard saturé, écrit pendant l’arrêt' }).waitFor();
    await waitFor(() => bob.log.entries().some((e) => e.text.includes('Standard saturé')), sessionChanges(bob), 'bob sees alice’s offline entry');
    // And after that, live as before.
    await postEntry(alice.page, 'Après le redémarrage');
    await waitFor(() => bob.log.entries().some((e) => e.text === 'Après le redémarrage'), sessionChanges(bob), 'bob sees a live entry');

    expect(await stillSamePage(alice.page)).toBe(true);
    expect(await stillSamePage(wall.page)).toBe(true);
    const state = await getIncidentState(second.url, id);
    expect(state.log.map((e) => e.text).sort()).toEqual(
      ['Avant l’arrêt du serveur', 'Standard saturé, écrit pendant l’arrêt', 'Bob, écrit pendant l’arrêt', 'Par REST, après le retour', 'Après le redémarrage'].sort(),
    );
    expect(state.decisions.map((d) => d.title)).toEqual(['Déclencher le plan blanc']);
    await expectClean(alice);
    await expectClean(wall);
  });

  test('a user removed from the incident sees the reason in words, in the room and on the wall screen', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url);
    const carla = await createUser(server.url, 'Carla Petit');
    expect((await setRole(server.url, id, carla.id, 'member')).status).toBe(200);
    const room = await openContext(browser);
    onTeardown(() => room.context.close().catch(() => undefined));
    await signIn(room, server.url, carla.email);
    const wall = await openContext(browser, { lang: 'en', locale: 'en-GB' });
    onTeardown(() => wall.context.close().catch(() => undefined));
    await signIn(wall, server.url, carla.email);
    await openRoom(room.page, server.url, id, 'log');
    await openRoom(wall.page, server.url, id, 'management');
    await Promise.all([waitLive(room.page), waitLive(wall.page)]);

    expect((await api(server.url, `/api/incidents/${id}/members/${carla.id}`, { method: 'DELETE', token: await adminToken(server.url) })).status).toBe(204);
    await expect(room.page.getByTestId('not-member').textContent()).resolves.toContain('Votre accès à cet incident a été retiré.');
    await expect(wall.page.getByTestId('not-member').textContent()).resolves.toContain('Your access to this incident was removed.');
    // Nothing of the incident stays on screen.
    expect(await room.page.locator('[data-testid="log-entry"]').count()).toBe(0);
    await expectClean(room);
    await expectClean(wall);
  });
});
