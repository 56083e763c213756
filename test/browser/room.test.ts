import { createIncident } from '../helpers/testServer';
import { entryLocator, expectClean, openRoom, postEntry, waitLive } from './harness';
import { seedManyEntries, seedTask } from './seed';
import { roomSuite } from './roomSuite';

/** People working together in one incident room: live log, tasks, decisions and presence, the management wall, the keyboard, a long log. */

jest.setTimeout(120_000);

roomSuite('browser client: the live room', ({ serve, person }) => {
  test('two people on the same incident see each other’s log entry, task move, decision and presence live', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person(server, 'Alice Martin');
    const bob = await person(server, 'Bob Le Goff');
    await openRoom(alice.page, server.url, id, 'log');
    await openRoom(bob.page, server.url, id, 'log');
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);

    // Log: typed in the quick-entry line with prefixes, Enter posts.
    await expect(alice.page.getByTestId('quick-entry')).toBeFocusedSoon();
    await postEntry(alice.page, '#alerte !!! @DSI Messagerie coupée sur tout le site');
    const seen = entryLocator(bob.page, 'Messagerie coupée sur tout le site');
    await seen.waitFor();
    await expect(seen.locator('.badge.cat-alert')).toHaveCount(1);
    await expect(seen.locator('.sev-critical')).toHaveCount(1);
    expect(await seen.locator('.source').textContent()).toContain('DSI');

    // Presence: each sees the other and the view they are in.
    await bob.page.locator('[data-testid="presence"] [data-name="Alice Martin"][data-view="log"]').waitFor();

    // Tasks: Alice creates one; Bob moves it by keyboard; Alice moves it by drag and drop.
    await alice.page.getByTestId('tab-tasks').click();
    await alice.page.locator('#new-task-title').fill('Isoler le VLAN imagerie');
    await alice.page.locator('#new-task-title').press('Enter');
    await bob.page.getByTestId('tab-tasks').click();
    await alice.page.locator('[data-testid="presence"] [data-name="Bob Le Goff"][data-view="tasks"]').waitFor();
    const bobCard = bob.page.locator('[data-testid="column-todo"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' });
    await bobCard.waitFor();
    await bobCard.focus();
    await bob.page.keyboard.press('Shift+ArrowRight');
    await alice.page.locator('[data-testid="column-in_progress"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' }).waitFor();
    await expect(bob.page.locator('[data-testid="column-in_progress"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' })).toBeFocusedSoon();

    await alice.page
      .locator('[data-testid="column-in_progress"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' })
      .dragTo(alice.page.locator('[data-testid="column-blocked"]'));
    await bob.page.locator('[data-testid="column-blocked"] [data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' }).waitFor();

    // Decisions: Alice records one, Bob revokes it; both keep the history visible.
    await alice.page.getByTestId('tab-decisions').click();
    await bob.page.getByTestId('tab-decisions').click();
    await alice.page.locator('#new-decision-title').fill('Couper l’accès internet du CHU');
    await alice.page.getByLabel('Énoncé').fill('Coupure immédiate des flux sortants');
    await alice.page.getByLabel('Motifs').fill('Exfiltration suspectée');
    // The form starts as a proposal (issue 13): the incident of these tests lets members decide.
    await alice.page.locator('.decision-form select').selectOption('approved');
    await alice.page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    const bobDecision = bob.page.locator('[data-testid="decision"]', { hasText: 'Couper l’accès internet du CHU' });
    await bobDecision.waitFor();
    expect(await bobDecision.getAttribute('data-status')).toBe('approved');
    expect(await bobDecision.textContent()).toContain('Alice Martin');
    await bobDecision.getByPlaceholder('motif du changement (facultatif)').fill('Remplacée par un filtrage');
    await bobDecision.locator('[data-action="revoked"]').click();
    const aliceDecision = alice.page.locator('[data-testid="decision"][data-status="revoked"]', { hasText: 'Couper l’accès internet du CHU' });
    await aliceDecision.waitFor();
    await expect(aliceDecision.locator('.history-item')).toHaveCount(2);
    expect(await aliceDecision.locator('.history').textContent()).toContain('Remplacée par un filtrage');

    await expectClean(alice);
    await expectClean(bob);
  });

  test('management view: read only, decisions first, updates live', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const alice = await person(server, 'Alice Martin');
    // The wall screen, logged in under the management's account.
    const wall = await person(server, 'Écran direction', { viewport: { width: 1920, height: 1080 } });
    await openRoom(alice.page, server.url, id, 'decisions');
    await openRoom(wall.page, server.url, id, 'management');
    await Promise.all([waitLive(alice.page), waitLive(wall.page)]);

    const controls = 'input, textarea, select, button, [contenteditable]:not([contenteditable="false"]), form, [role="button"], [draggable="true"]';
    expect(await wall.page.locator(controls).count()).toBe(0);
    expect(await wall.page.getByTestId('overdue-count').getAttribute('data-count')).toBe('0');

    await alice.page.locator('#new-decision-title').fill('Déclencher le plan blanc');
    await alice.page.locator('.decision-form select').selectOption('approved');
    await alice.page.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await wall.page.locator('[data-testid="mgmt-decision"][data-status="approved"]', { hasText: 'Déclencher le plan blanc' }).waitFor();

    const past = new Date(Date.now() - 20 * 60_000);
    await seedTask(server, id, { title: 'Rappeler les cadres de nuit', status: 'in_progress', dueAt: past.toISOString(), assignee: 'Cadre de garde' }, 'Régulation', past);
    await wall.page.locator('[data-testid="overdue-count"][data-count="1"]').waitFor();
    await wall.page.locator('[data-testid="mgmt-status-in_progress"][data-count="1"]').waitFor();

    await alice.page.getByTestId('tab-log').click();
    await postEntry(alice.page, '#alerte !!! Plus de téléphonie au bloc opératoire');
    await wall.page.locator('[data-testid="mgmt-alert"]', { hasText: 'Plus de téléphonie au bloc opératoire' }).waitFor();

    // Decisions come first on the wall screen.
    const order = await wall.page.locator('.mgmt-grid > section').evaluateAll((sections) => sections.map((s) => s.className));
    expect(order[0]).toContain('mgmt-decisions');
    expect(await wall.page.locator(controls).count()).toBe(0);
    // The wall screen is present, in the management view.
    await alice.page.locator('[data-testid="presence"] [data-view="management"]').waitFor();
    await expectClean(alice);
    await expectClean(wall);
  });

  test('keyboard first: prefixes and Alt shortcuts, ↑ to amend the last entry (shown with the original), filters, language switch', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Panne téléphonie');
    const alice = await person(server, 'Alice Martin');
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    const page = alice.page;
    const input = page.getByTestId('quick-entry');
    await expect(input).toBeFocusedSoon();

    // Alt+C cycles the category, Alt+S the severity, Alt+I marks a key fact: no mouse needed.
    await page.keyboard.type('Standard injoignable depuis 02:50');
    await page.keyboard.press('Alt+KeyC');
    await page.keyboard.press('Alt+KeyS');
    await page.keyboard.press('Alt+KeyS');
    await page.keyboard.press('Alt+KeyI');
    await page.keyboard.press('Enter');
    const first = entryLocator(page, 'Standard injoignable depuis 02:50');
    await first.waitFor();
    await expect(first.locator('.badge.cat-decision')).toHaveCount(0);
    await expect(first.locator('.badge.cat-action')).toHaveCount(1);
    await expect(first.locator('.sev-high')).toHaveCount(1);
    await expect(first.locator('.key-badge')).toHaveCount(1);
    await expect(input).toBeFocusedSoon();

    // Typing anywhere goes to the quick-entry line.
    await page.locator('#log-list').click();
    await page.keyboard.type('#com @ARS ~02:55 Appel de l’ARS');
    await expect(input).toBeFocusedSoon();
    await page.keyboard.press('Enter');
    const second = entryLocator(page, 'Appel de l’ARS');
    await second.waitFor();
    expect(await second.locator('.source').textContent()).toContain('ARS');
    expect(await second.locator('.event-at').textContent()).toMatch(/02:55/);

    // ↑ on an empty line amends my last entry; the correction shows the original.
    await page.keyboard.press('ArrowUp');
    await page.locator('.amend-banner').waitFor();
    await input.fill('#com @ARS ~02:55 Appel de l’ARS : cellule régionale activée');
    await input.press('Enter');
    const amendment = entryLocator(page, 'cellule régionale activée');
    await amendment.waitFor();
    expect(await amendment.locator('.entry-original').textContent()).toContain('Appel de l’ARS');
    await expect(page.locator('[data-testid="log-entry"].amended', { hasText: 'Appel de l’ARS' })).toHaveCount(1);

    // Filters: Alt+R to search; category and severity.
    await page.keyboard.press('Alt+KeyR');
    await expect(page.locator('#log-search')).toBeFocusedSoon();
    await page.keyboard.type('injoignable');
    await expect(page.locator('[data-testid="log-entry"]')).toHaveCount(1);
    await page.locator('#log-search').fill('');
    await page.getByLabel('Catégorie').first().selectOption('communication');
    await expect(page.locator('[data-testid="log-entry"]')).toHaveCount(2);
    await page.getByRole('button', { name: 'Effacer les filtres' }).click();
    await expect(page.locator('[data-testid="log-entry"]')).toHaveCount(3);

    // Newest on top, and English.
    await page.getByRole('button', { name: /Récentes en bas/ }).click();
    expect(await page.locator('[data-testid="entry-text"]').first().textContent()).toContain('cellule régionale activée');
    await page.locator('.lang-switch').click();
    await page.getByTestId('tab-log').filter({ hasText: 'Log' }).waitFor();
    expect(await page.getByTestId('connection').textContent()).toContain('Live');
    await expectClean(alice);
  });

  test('the log is virtualised: 10,000 entries, a few dozen rows in the page, search and scroll work', async () => {
    const server = await serve();
    const id = await createIncident(server.url);
    await seedManyEntries(server, id, 10_000);
    const alice = await person(server, 'Alice Martin');
    const started = Date.now();
    await openRoom(alice.page, server.url, id, 'log');
    await alice.page.locator('[data-testid="log-count"][data-total="10000"]').waitFor({ timeout: 30_000 });
    await entryLocator(alice.page, 'Point 10000 :').waitFor();
    const loadMs = Date.now() - started;
    expect(loadMs).toBeLessThan(15_000);
    expect(await alice.page.locator('[data-testid="log-entry"]').count()).toBeLessThan(80);
    await alice.page.locator('.vlist').evaluate((el) => {
      el.scrollTop = 0;
    });
    await entryLocator(alice.page, 'Point 1 :').waitFor();
    expect(await alice.page.locator('[data-testid="log-entry"]').count()).toBeLessThan(80);
    await alice.page.locator('#log-search').fill('Point 4242 ');
    await expect(alice.page.locator('[data-testid="log-entry"]')).toHaveCount(1);
    await expectClean(alice);
  });
});
