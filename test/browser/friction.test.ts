import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createIncident, onTeardown, startTestServer } from '../helpers/testServer';
import { api, testUser } from '../helpers/accounts';
import type { RunningServer } from '../../server/createServer';
import { Watched, browserSuite, openContext, signIn, waitLive, openSuiteBrowser, closeSuiteBrowser, expectClean, postEntry, entryLocator, openRoom, poll } from './harness';

jest.setTimeout(120_000);

let webRoot = '';
let browser: Browser;

beforeAll(async () => {
  ({ webRoot, browser } = await openSuiteBrowser());
});
afterAll(() => closeSuiteBrowser({ webRoot, browser }));

/** A server with the built client, an incident with a few entries, and Alice (a member) in a browser. */
async function aliceInRoom(options: { timezoneId?: string; lang?: 'fr' | 'en' } = {}): Promise<{ server: RunningServer; id: string; w: Watched; page: Page }> {
  const server = await startTestServer({ webRoot });
  const id = await createIncident(server.url, 'Panne électrique — bloc opératoire');
  const alice = await testUser(server.url, 'Alice Martin');
  for (const [text, key] of [
    ['Coupure secteur bloc B', true],
    ['Groupe électrogène démarré', false],
    ['Appel au fournisseur', false],
  ] as const) {
    expect((await api(server.url, `/api/incidents/${id}/log`, { token: alice.token, body: { text, category: 'action', key } })).status).toBe(201);
  }
  const w = await openContext(browser, { ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}), ...(options.lang ? { lang: options.lang } : {}) });
  onTeardown(() => w.context.close().catch(() => undefined));
  await signIn(w, server.url, alice.email);
  return { server, id, w, page: w.page };
}

browserSuite('timeline export menu', () => {
  test('reached by keyboard, it downloads the chosen format, audience, language, zone and key events, with the bytes received shown', async () => {
    const { id, w, page, server } = await aliceInRoom({ timezoneId: 'America/New_York', lang: 'fr' });
    await page.goto(`${server.url}/#/incident/${id}/timeline`);
    await waitLive(page);
    await page.locator('[data-testid="tl-mark"]').first().waitFor();

    // Every progress value the status shows, kept by the page as it changes.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { __received: number[] }).__received = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          const v = (r.target as HTMLElement).getAttribute('data-received');
          if (v !== null) seen.push(Number(v));
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-received'] });
    });

    // Keyboard: focus the button, Enter opens the modal dialog with the focus inside it.
    await page.getByTestId('tl-export').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('tl-export-dialog');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).open && d.contains(document.activeElement))).toBe(true);
    // Defaults: the reader's language and the browser's time zone.
    expect(await page.getByTestId('tl-export-lang').inputValue()).toBe('fr');
    expect(await page.getByTestId('tl-export-tz').inputValue()).toBe('America/New_York');

    await page.getByTestId('tl-export-format').selectOption('pdf');
    await page.getByTestId('tl-export-audience-anonymised').check();
    await page.getByTestId('tl-export-lang').selectOption('en');
    await page.getByTestId('tl-export-tz').fill('Asia/Tokyo');
    await page.getByTestId('tl-export-key').check();

    const requested = page.waitForRequest((r) => r.url().includes(`/api/incidents/${id}/timeline?`) && r.url().includes('format=pdf'));
    const download = page.waitForEvent('download');
    await page.getByTestId('tl-export-go').press('Enter');
    const url = new URL((await requested).url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: 'pdf', audience: 'anonymised', lang: 'en', tz: 'Asia/Tokyo', keyOnly: 'true' });
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = fs.readFileSync((await file.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.locator('[data-testid="tl-export-status"][data-state="done"]').waitFor();
    expect(await page.getByTestId('tl-export-status').textContent()).toContain(file.suggestedFilename());
    // The bytes received were shown as they came (from none), up to the whole file.
    const received = await page.evaluate(() => (window as unknown as { __received: number[] }).__received);
    expect(received[0]).toBe(0);
    expect(received[received.length - 1]).toBe(bytes.length);
    expect(await page.getByTestId('tl-export-status').getAttribute('data-received')).toBe(String(bytes.length));

    // Esc closes the dialog and gives the focus back to the button.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('tl-export');
    await expectClean(w);
  });

  test('a download under way can be cancelled; an unknown time zone is refused before asking', async () => {
    const { id, w, page, server } = await aliceInRoom();
    await page.goto(`${server.url}/#/incident/${id}/timeline`);
    await waitLive(page);
    await page.getByTestId('tl-export').click();

    await page.getByTestId('tl-export-tz').fill('Mars/Olympus');
    expect(await page.getByTestId('tl-export-go').isDisabled()).toBe(true);
    await page.getByTestId('tl-export-tz').fill('Europe/Paris');

    // The server's answer is held until the cancel was clicked.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/timeline\?/, async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    onTeardown(() => release());
    await page.getByTestId('tl-export-go').click();
    await page.locator('[data-testid="tl-export-status"][data-state="running"]').waitFor();
    await page.getByTestId('tl-export-progress').waitFor();
    await page.getByTestId('tl-export-cancel').click();
    // (Playwright holds an intercepted request even past the page's abort: let it go now.)
    release();
    await page.locator('[data-testid="tl-export-status"][data-state="cancelled"]').waitFor();
    // Ready for another try.
    await page.getByTestId('tl-export-go').waitFor();
    expect(await page.getByTestId('tl-export-status').getAttribute('data-state')).toBe('cancelled');
    expect(w.pageErrors).toEqual([]);
  });
});

browserSuite('#decision in the log', () => {
  test('posting a #decision entry offers the decisions register, whose form opens prefilled and records a decision based on the entry', async () => {
    const { id, w, page, server } = await aliceInRoom();
    await openRoom(page, server.url, id, 'log');
    await waitLive(page);
    await postEntry(page, '#decision Déclencher le plan blanc à 10:00');
    await entryLocator(page, 'Déclencher le plan blanc à 10:00').waitFor();
    // The log entry exists, and the register is offered (not silently skipped).
    await page.getByTestId('decision-offer').waitFor();
    await page.getByTestId('decision-offer-record').click();
    await page.waitForSelector('[data-testid="tab-decisions"][aria-selected="true"]');
    await page.getByTestId('decision-prefilled').waitFor();
    expect(await page.locator('#new-decision-title').inputValue()).toBe('Déclencher le plan blanc à 10:00');
    await page.locator('#new-decision-title').press('Enter');

    const state = await poll(
      async () => (await api<{ decisions: Array<{ title: string; basedOn: string[] }>; log: Array<{ id: string; text: string; category: string }> }>(server.url, `/api/incidents/${id}`, { token: (await testUser(server.url, 'Alice Martin')).token })).body,
      (s) => s.decisions.length === 1,
    );
    const entry = state.log.find((e) => e.text === 'Déclencher le plan blanc à 10:00')!;
    expect(entry.category).toBe('decision');
    expect(state.decisions).toEqual([expect.objectContaining({ title: 'Déclencher le plan blanc à 10:00', basedOn: [entry.id] })]);
    // The form is empty again, and the prefill is not offered twice.
    expect(await page.locator('#new-decision-title').inputValue()).toBe('');
    expect(await page.getByTestId('decision-prefilled').count()).toBe(0);
    await expectClean(w);
  });

  test('an entry of another category offers nothing', async () => {
    const { id, page, server } = await aliceInRoom();
    await openRoom(page, server.url, id, 'log');
    await waitLive(page);
    await postEntry(page, '#action Groupe électrogène testé');
    await entryLocator(page, 'Groupe électrogène testé').waitFor();
    expect(await page.getByTestId('decision-offer').count()).toBe(0);
  });
});

browserSuite('paper transcription in the order of the paper sheet', () => {
  test('Tab follows the sheet (header, then time, writer, category, severity, verification, key, text) and Enter posts from any field', async () => {
    const { id, w, page, server } = await aliceInRoom();
    await openRoom(page, server.url, id, 'log');
    await waitLive(page);
    await page.keyboard.press('Alt+KeyP');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'paper-time');

    // The order of focus through the form, from its first field, is the sheet's (the date field's day, month and year count once).
    await page.getByTestId('paper-date').focus();
    const order: string[] = [];
    for (let i = 0; i < 20 && order[order.length - 1] !== 'paper-text'; i++) {
      const at = (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) ?? '';
      if (order[order.length - 1] !== at) order.push(at);
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual(['paper-date', 'paper-sheet', 'paper-time', 'paper-writer', 'paper-category', 'paper-severity', 'paper-verification', 'paper-key', 'paper-text']);

    // A line typed with Tab only, the way the eye reads the paper; Enter from the key box posts it.
    await page.getByTestId('paper-sheet').focus();
    await page.keyboard.type('F7');
    await page.keyboard.press('Tab');
    await page.keyboard.type('04:20');
    await page.keyboard.press('Tab');
    await page.keyboard.type('IDE Lopez');
    await page.keyboard.press('Tab');
    await page.getByTestId('paper-category').selectOption('alert');
    await page.keyboard.press('Tab');
    await page.getByTestId('paper-severity').selectOption('high');
    await page.keyboard.press('Tab');
    await page.getByTestId('paper-verification').selectOption('confirmed');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Pompe à perfusion en panne salle 3');
    // Enter in a column field (not only in the text) posts the complete line.
    await page.getByTestId('paper-key').focus();
    await page.keyboard.press('Enter');
    await entryLocator(page, 'Pompe à perfusion en panne salle 3').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'paper-time');

    // An incomplete line: Enter says what is missing and goes there.
    await page.keyboard.type('04:30');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'paper-text');
    expect(await page.getByTestId('paper-entry').getByRole('alert').textContent()).toBe('Texte de la ligne requis');

    const alice = await testUser(server.url, 'Alice Martin');
    const state = await poll(
      async () => (await api<{ log: Array<{ text: string; category: string; severity: string; verification: string; key: boolean; paper?: unknown }> }>(server.url, `/api/incidents/${id}`, { token: alice.token })).body,
      (s) => s.log.some((e) => e.text.startsWith('Pompe')),
    );
    expect(state.log.find((e) => e.text.startsWith('Pompe'))).toMatchObject({ category: 'alert', severity: 'high', verification: 'confirmed', key: true, paper: { writer: 'IDE Lopez', sheet: 'F7' } });
    await expectClean(w);
  });
});

browserSuite('incident links that lead nowhere', () => {
  test('a malformed id says the link is malformed, an unknown id says there is no such incident; neither shows the list', async () => {
    const { w, page, server } = await aliceInRoom({ lang: 'en' });
    await page.goto(`${server.url}/#/incident/abc%22%3E`);
    const problem = page.getByTestId('link-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-kind')).toBe('malformed');
    expect(await problem.locator('h1').textContent()).toBe('Malformed link');
    expect(await problem.getByRole('alert').textContent()).toContain('"abc">" is not an incident id');
    expect(await page.title()).toContain('Malformed link');

    await page.goto(`${server.url}/#/incident/zzzzzzzzzzzz/tasks`);
    await page.locator('[data-testid="link-problem"][data-kind="unknown"]').waitFor();
    expect(await page.getByTestId('link-problem').getByRole('alert').textContent()).toContain('There is no incident "zzzzzzzzzzzz" on this server');

    // The way back is one link away.
    await page.getByTestId('link-problem-list').click();
    await page.waitForFunction(() => location.hash === '#/' && !document.querySelector('[data-testid="link-problem"]'));
    await expectClean(w);
  });
});

browserSuite('templates of the health sector', () => {
  test('choosing the healthcare template ticks "health establishment" in the creation form, and the incident is created with it', async () => {
    const { w, page, server } = await aliceInRoom();
    await page.goto(`${server.url}/#/`);
    const health = page.getByTestId('incident-health');
    await health.waitFor();
    expect(await health.isChecked()).toBe(false);
    await page.getByTestId('incident-template').selectOption('cyberattack-healthcare');
    expect(await health.isChecked()).toBe(true);
    // Back to no template: unticked again.
    await page.getByTestId('incident-template').selectOption('');
    expect(await health.isChecked()).toBe(false);
    await page.getByTestId('incident-template').selectOption('cyberattack-healthcare');
    await page.locator('#incident-title').fill('Rançongiciel — CH de Brocéliande');
    await page.locator('#incident-title').press('Enter');
    await page.waitForSelector('[data-testid="tab-log"][aria-selected="true"]');
    const id = /#\/incident\/([0-9a-z]+)\//.exec(page.url())![1]!;
    const alice = await testUser(server.url, 'Alice Martin');
    const meta = (await api<{ meta: { healthSector?: boolean } }>(server.url, `/api/incidents/${id}`, { token: alice.token })).body.meta;
    expect(meta.healthSector).toBe(true);
    await expectClean(w);
  });
});

browserSuite('the first administrator', () => {
  test('a used set-up link says so and leads to sign-in (an administrator exists), not "restart the server"', async () => {
    const server = await startTestServer({ webRoot, adminEmail: undefined, adminPassword: undefined });
    const link = server.setupUrl!;
    const token = link.split('#token=')[1]!;
    expect((await api(server.url, '/api/auth/setup', { body: { token, email: 'cellule@chu.test', password: 'une phrase de passe pour la cellule', displayName: 'Claire Dupont' } })).status).toBe(200);

    const w = await openContext(browser, { lang: 'en' });
    onTeardown(() => w.context.close().catch(() => undefined));
    await w.page.goto(link);
    await w.page.getByTestId('setup-used').waitFor();
    const text = (await w.page.getByTestId('setup-used').textContent())!;
    expect(text).toContain('This set-up link was already used: an administrator exists. Sign in.');
    expect(text).not.toContain('Restart');
    await w.page.getByTestId('setup-sign-in').click();
    await w.page.locator('#login-email').waitFor();
    expect(new URL(w.page.url()).pathname).toBe('/');
    await expectClean(w);
  });

  test('an administrator created from ADMIN_EMAIL without ADMIN_NAME is asked for their name at first sign-in, once', async () => {
    const server = await startTestServer({ webRoot });
    const w = await openContext(browser, { lang: 'en' });
    onTeardown(() => w.context.close().catch(() => undefined));
    await signIn(w, server.url, 'admin@crisis.test', 'correct horse battery staple');
    await w.page.goto(`${server.url}/#/`);
    const prompt = w.page.getByTestId('name-prompt');
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('Your account is still called "Administrator"');
    await w.page.getByTestId('name-prompt-input').fill('Dr Claire Dupont');
    await w.page.getByTestId('name-prompt-input').press('Enter');
    await prompt.waitFor({ state: 'detached' });
    expect(await w.page.getByTestId('me').textContent()).toBe('Dr Claire Dupont');
    await w.page.reload();
    await w.page.getByTestId('me').waitFor();
    expect(await w.page.getByTestId('name-prompt').count()).toBe(0);
    await expectClean(w);
  });
});

browserSuite('inviting into an incident from its Members tab', () => {
  test('an administrator invites with role and incident in one step, sees it pending, revokes another; the invitee lands in the incident with that role', async () => {
    const server = await startTestServer({ webRoot });
    const id = await createIncident(server.url, 'Inondation sous-sol');
    const w = await openContext(browser, { lang: 'en' });
    onTeardown(() => w.context.close().catch(() => undefined));
    await signIn(w, server.url, 'admin@crisis.test', 'correct horse battery staple');
    const { page } = w;
    await openRoom(page, server.url, id, 'members');
    const box = page.getByTestId('incident-invitations');
    await box.waitFor();
    await box.getByText('No pending invitation for this incident.').waitFor();

    const invite = async (email: string, role: string) => {
      await page.getByTestId('invite-email').fill(email);
      await page.getByTestId('invite-role').selectOption(role);
      await page.getByTestId('invite-create').click();
      await page.locator(`[data-testid="pending-invitation"][data-email="${email}"]`).waitFor();
    };
    await page.getByTestId('invite-name').fill('Iris Nguyen');
    await invite('iris@chu.test', 'observer');
    const link = await page.getByTestId('invite-link').inputValue();
    expect(link).toMatch(/\/invite#token=[A-Za-z0-9_-]+$/);
    expect(await page.getByTestId('invite-made').textContent()).toContain('Invitation created for iris@chu.test');
    expect(await page.locator('[data-testid="pending-invitation"][data-email="iris@chu.test"]').textContent()).toContain('Observer');

    // Another, revoked: it leaves the list and its link no longer works.
    await invite('karim@chu.test', 'member');
    const karimLink = await page.getByTestId('invite-link').inputValue();
    await page.locator('[data-testid="pending-invitation"][data-email="karim@chu.test"]').getByTestId('invitation-revoke').click();
    await page.locator('[data-testid="pending-invitation"][data-email="karim@chu.test"]').waitFor({ state: 'detached' });
    const karimToken = karimLink.split('#token=')[1]!;
    expect((await api(server.url, '/api/invites/accept', { body: { token: karimToken, password: 'a long enough test passphrase' } })).status).toBe(401);
    await expectClean(w);

    // Iris accepts in her own browser and is in the incident as an observer (read only).
    const iris = await openContext(browser, { lang: 'en' });
    onTeardown(() => iris.context.close().catch(() => undefined));
    await iris.page.goto(link);
    await iris.page.locator('#new-password').fill('a long enough test passphrase');
    await iris.page.locator('#confirm-password').fill('a long enough test passphrase');
    await iris.page.locator('#confirm-password').press('Enter');
    await iris.page.getByTestId('me').waitFor();
    await iris.page.locator(`[data-testid="incident-item"][data-id="${id}"]`).waitFor();
    // (The link's origin is the server's public address: the session cookie is that host's.)
    await openRoom(iris.page, new URL(link).origin, id, 'log');
    await iris.page.getByTestId('read-only').waitFor();
    // And the administrator's list no longer shows her as pending.
    await page.reload();
    await box.getByText('No pending invitation for this incident.').waitFor();
  });
});
