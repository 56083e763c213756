import type { Page } from 'playwright-core';
import { createIncident, tempDir } from '../helpers/testServer';
import { getIncidentState } from '../helpers/sessions';
import { until } from '../helpers/poll';
import { entryLocator, expectClean, openRoom, postEntry, waitLive } from './harness';
import { seedManyEntries } from './seed';
import { roomSuite } from './roomSuite';

/** Without the network or without the server: what is written is kept, shown as waiting, and reaches the server when it is back. */

async function logTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="entry-text"]').allTextContents();
}

jest.setTimeout(120_000);

roomSuite('browser client: offline', ({ serve, person }) => {
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

  test('a large log sent at join is kept in the browser once shown: a reload without the server shows all of it', async () => {
    const dataDir = tempDir();
    const server = await serve({ dataDir });
    const id = await createIncident(server.url, 'Canicule — plan bleu');
    await seedManyEntries(server, id, 1_500);
    const alice = await person(server, 'Alice Martin');
    await openRoom(alice.page, server.url, id, 'log');
    await alice.page.waitForSelector('[data-testid="log-count"][data-total="1500"]');
    // The join answer is written to the local copy after the first paint: wait until it is there.
    const storedBytes = () =>
      alice.page.evaluate(async (incidentId: string) => {
        const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.endsWith(`:${incidentId}:log`));
        if (!name) return 0;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        try {
          const all = await new Promise<unknown[]>((resolve, reject) => {
            const read = db.transaction('updates').objectStore('updates').getAll();
            read.onsuccess = () => resolve(read.result);
            read.onerror = () => reject(read.error);
          });
          return all.reduce<number>((n, u) => n + (u instanceof Uint8Array ? u.byteLength : 0), 0);
        } finally {
          db.close();
        }
      }, id);
    await until(async () => (await storedBytes()) > 100_000, 'the join answer in the local copy');
    await alice.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });

    await server.close();
    await alice.page.reload();
    await alice.page.waitForSelector('[data-testid="log-count"][data-total="1500"]');
    expect(await alice.page.getByTestId('connection').getAttribute('data-status')).not.toBe('live');
    expect(alice.pageErrors).toEqual([]);
  });
});
