import type { Browser } from 'playwright-core';
import { connectClient, createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { createUser, setRole, testUser } from '../helpers/accounts';
import { browserSuite, closeSuiteBrowser, entryLocator, expectClean, holdLocalCopy, openContext, openSuiteBrowser, postEntry, releaseLocalCopy, signIn, waitLive } from './harness';

jest.setTimeout(90_000);

let webRoot = '';
let browser: Browser;

browserSuite('the log’s first screen', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test('the newest entries are drawn from the server while the log document opens, read only, then the live log takes over', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await testUser(server.url, 'Alice Martin');
    const odile = await createUser(server.url, 'Odile Observatrice');
    expect((await setRole(server.url, id, odile.id, 'observer')).status).toBe(200);
    const writer = await connectClient(server.url, 'Alice Martin').openIncident(id);
    await writer.whenSynced();
    const ransom = writer.appendLog({ text: 'Rançon demandée par courriel', category: 'alert', severity: 'critical' });
    for (let i = 0; i < 70; i++) writer.appendLog({ text: `Relevé de situation n° ${i}` });
    const pacs = writer.appendLog({ text: 'PACS chiffré', category: 'alert' });
    writer.amend(pacs.id, { text: 'PACS chiffré : trois serveurs', category: 'alert' });
    const answer = writer.appendLog({ text: 'Plainte déposée, rançon non payée', replyTo: ransom.id });
    writer.setVerification(answer.id, 'confirmed', 'vu avec la direction');
    await writer.whenAcknowledged();
    let total = 74;

    for (const who of [alice, odile]) {
      const w = await openContext(browser);
      onTeardown(() => w.context.close().catch(() => undefined));
      await holdLocalCopy(w.context, 'log');
      await signIn(w, server.url, who.email);
      const { page } = w;
      await page.goto(`${server.url}/#/incident/${id}/log`);

      // While the documents cannot open: the newest rows, the whole count, no room and no writing yet.
      const preview = page.getByTestId('log-preview');
      await preview.waitFor();
      expect(await preview.getByTestId('log-count').getAttribute('data-total')).toBe(String(total));
      const newest = entryLocator(page, 'Plainte déposée');
      await newest.waitFor();
      // What the row shows comes along: the entry it answers (outside the page), its verification.
      expect(await newest.getByTestId('entry-answers').getAttribute('data-reply-to')).toBe(ransom.id);
      expect(await newest.getByTestId('verif-button').getAttribute('data-verif')).toBe('confirmed');
      await newest.getByTestId('verif-button').click();
      await newest.getByTestId('verif-history').waitFor();
      expect(await entryLocator(page, 'PACS chiffré : trois serveurs').locator('.amend-badge').count()).toBe(1);
      expect(await page.locator('#log-list [data-testid="log-entry"].amended').count()).toBe(1);
      expect(await page.getByTestId('quick-entry').count()).toBe(0);
      expect(await page.getByTestId('tab-log').count()).toBe(0);
      expect(await page.getByTestId('reply-button').count()).toBe(0);

      // The documents open: the room comes, the live log replaces the preview with the same count.
      await releaseLocalCopy(page);
      await page.waitForSelector('[data-testid="tab-log"][aria-selected="true"]');
      await waitLive(page);
      await preview.waitFor({ state: 'detached' });
      expect(await page.getByTestId('log-count').getAttribute('data-total')).toBe(String(total));
      await entryLocator(page, 'Plainte déposée').waitFor();
      if (who === alice) {
        await postEntry(page, 'Cellule de crise réunie');
        await entryLocator(page, 'Cellule de crise réunie').waitFor();
        total += 1;
      } else {
        expect(await page.getByTestId('quick-entry').count()).toBe(0);
      }
      await expectClean(w);
    }
  });

  test('the log tab opened while the log is still arriving shows its newest entries, not "the log is empty"', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await testUser(server.url, 'Alice Martin');
    const writer = await connectClient(server.url, 'Alice Martin').openIncident(id);
    await writer.whenSynced();
    for (let i = 0; i < 30; i++) writer.appendLog({ text: `Relevé de situation n° ${i}` });
    await writer.whenAcknowledged();

    const w = await openContext(browser);
    onTeardown(() => w.context.close().catch(() => undefined));
    // What the server sends over the socket is held until the test lets it through: the page
    // opens its (empty) local copies and the room, but no join answer arrives.
    let holding = true;
    const held: Array<() => void> = [];
    await w.context.routeWebSocket(/socket\.io/, (ws) => {
      const upstream = ws.connectToServer();
      upstream.onMessage((message) => {
        if (holding) held.push(() => ws.send(message));
        else ws.send(message);
      });
    });
    await signIn(w, server.url, alice.email);
    const { page } = w;
    await page.goto(`${server.url}/#/incident/${id}/tasks`);
    await page.waitForSelector('[data-testid="tab-tasks"][aria-selected="true"]');
    await page.getByTestId('tab-log').click();
    await page.getByTestId('log-preview').waitFor();
    expect(await page.getByTestId('log-preview').getByTestId('log-count').getAttribute('data-total')).toBe('30');
    await entryLocator(page, 'Relevé de situation n° 29').waitFor();

    holding = false;
    for (const send of held.splice(0)) send();
    await waitLive(page);
    await page.getByTestId('log-preview').waitFor({ state: 'detached' });
    expect(await page.getByTestId('log-count').getAttribute('data-total')).toBe('30');
    await page.getByTestId('quick-entry').waitFor();
    await expectClean(w);
  });
});
