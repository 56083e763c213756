import type { Page } from 'playwright-core';
import { createIncident } from '../helpers/testServer';
import { TEST_PASSWORD, createUser } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import { entryLocator, expectClean, loginThroughPage, openRoom, pageCspViolations, postEntry, waitLive } from './harness';
import { seedDecision, seedLog, seedTask } from './seed';
import { roomSuite } from './roomSuite';

/** What the page refuses to do: run markup typed by users, break its strict Content-Security-Policy, let an observer write. */

/**
 * Resolves after the page has drawn two more frames: what it does in reaction to what happened
 * before (a render, an event handler, an alert that would block it) has run by then.
 */
async function afterNextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

jest.setTimeout(120_000);

roomSuite('browser client: security', ({ serve, stranger, person, withRole }) => {
  test('user text is rendered as text: markup in an entry, a task and a title runs nothing', async () => {
    // Without the CSP (the browser ignores it): the rendering alone must be safe.
    const server = await serve();
    const payload = '<img src=x onerror=alert(1)>';
    const id = await createIncident(server.url, `<img src=x onerror=alert(3)> Incident`);
    const alice = await person(server, 'Alice <b onmouseover=alert(4)>', { bypassCSP: true });
    const bob = await person(server, 'Bob', { bypassCSP: true });
    await openRoom(alice.page, server.url, id, 'log');
    await openRoom(bob.page, server.url, id, 'log');
    await Promise.all([waitLive(alice.page), waitLive(bob.page)]);
    await postEntry(alice.page, payload);
    await postEntry(alice.page, '@<script>alert(2)</script> <svg/onload=alert(5)> source piégée');

    for (const w of [alice, bob]) {
      const row = entryLocator(w.page, payload);
      await row.waitFor();
      expect(await row.locator('[data-testid="entry-text"]').textContent()).toBe(payload);
      await entryLocator(w.page, 'source piégée').waitFor();
      expect(await w.page.locator('#log-list img, #log-list script, #log-list svg, h1 img, .presence b').count()).toBe(0);
      expect(await w.page.locator('h1').first().textContent()).toContain('<img src=x onerror=alert(3)>');
    }
    await alice.page.getByTestId('tab-tasks').click();
    await alice.page.locator('#new-task-title').fill(payload);
    await alice.page.locator('#new-task-title').press('Enter');
    await alice.page.locator('[data-testid="task-card"]', { hasText: payload }).waitFor();
    await bob.page.locator('[data-testid="presence"] [data-name="Alice <b onmouseover=alert(4)>"]').hover();
    await alice.page.goto(`${server.url}/#/`);
    await alice.page.locator('[data-testid="incident-item"]', { hasText: '<img src=x onerror=alert(3)> Incident' }).waitFor();
    await afterNextFrames(bob.page);
    for (const w of [alice, bob]) {
      expect(w.dialogs).toEqual([]);
      expect(w.pageErrors).toEqual([]);
    }
  });

  test('the page works under a strict Content-Security-Policy (no unsafe-inline), from first visit to every view', async () => {
    const server = await serve();
    const claire = await createUser(server.url, 'Claire Dubois');
    const newcomer = await stranger();
    const response = await newcomer.page.goto(`${server.url}/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    await newcomer.page.getByTestId('login-page').waitFor();
    await loginThroughPage(newcomer.page, claire.email, TEST_PASSWORD);
    await newcomer.page.locator('#incident-title').fill('Panne du DPI');
    await newcomer.page.locator('#incident-title').press('Enter');
    await newcomer.page.getByTestId('tab-log').waitFor();
    await waitLive(newcomer.page);
    await postEntry(newcomer.page, '#action ~02:45 Passage en procédures dégradées papier');
    await entryLocator(newcomer.page, 'Passage en procédures dégradées papier').waitFor();
    await newcomer.page.keyboard.press('Alt+KeyK');
    await newcomer.page.locator('[data-testid="tab-tasks"][aria-selected="true"]').waitFor();
    await newcomer.page.locator('#new-task-title').fill('Imprimer les plans de soins');
    await newcomer.page.locator('#new-task-title').press('Enter');
    await newcomer.page.locator('[data-testid="task-card"]').first().dblclick();
    await newcomer.page.locator('[role="dialog"]').waitFor();
    await newcomer.page.keyboard.press('Escape');
    await newcomer.page.keyboard.press('Alt+KeyN');
    await newcomer.page.locator('[data-testid="tab-decisions"][aria-selected="true"]').waitFor();
    const incidentId = /incident\/([0-9a-z]+)/.exec(newcomer.page.url())![1]!;
    await newcomer.page.goto(`${server.url}/#/incident/${incidentId}/management`);
    await newcomer.page.getByTestId('management').waitFor();
    await newcomer.page.locator('.lang-switch').click();
    await newcomer.page.locator('h2', { hasText: 'Decisions' }).waitFor();
    await afterNextFrames(newcomer.page);

    expect(newcomer.pageErrors).toEqual([]);
    expect(newcomer.cspViolations).toEqual([]);
    expect(await pageCspViolations(newcomer.page)).toEqual([]);

    // The watch works: an inline script is refused, and seen.
    await newcomer.page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.body.appendChild(s);
    });
    // The page records the violation event it is sent.
    await newcomer.page.waitForFunction(() => ((window as unknown as { __csp?: string[] }).__csp ?? []).length > 0);
    expect((await pageCspViolations(newcomer.page)).length).toBeGreaterThan(0);
    expect(await newcomer.page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
  });

  test('an observer’s room has no write control (no quick entry, no task move, no decision action) and the management view still works', async () => {
    const server = await serve();
    const id = await createIncident(server.url, 'Cyberattaque — rançongiciel');
    const now = new Date();
    await seedLog(server, id, [{ at: now, author: 'Alice Martin', input: { text: 'Messagerie coupée sur tout le site', category: 'alert', severity: 'high' } }]);
    await seedTask(server, id, { title: 'Isoler le VLAN imagerie', status: 'todo' }, 'Alice Martin', now);
    await seedDecision(server, id, { title: 'Déclencher le plan blanc', statement: 'Plan blanc niveau 2', rationale: 'Urgences saturées', status: 'proposed' }, 'Alice Martin', now);
    const alice = await person(server, 'Alice Martin');
    const dg = await withRole(server, 'Directrice générale', id, 'observer');
    const writeControls =
      '#quick-entry, #new-task-title, #new-decision-title, [draggable="true"], [data-action], .entry-actions, .card-edit, [role="dialog"], [data-testid="member-role"], [data-testid="member-remove"], #add-member-user';

    await openRoom(dg.page, server.url, id, 'log');
    await waitLive(dg.page);
    await dg.page.getByTestId('read-only').waitFor();
    await entryLocator(dg.page, 'Messagerie coupée sur tout le site').waitFor();
    expect(await dg.page.locator(writeControls).count()).toBe(0);
    // Reading works: search and filters.
    await dg.page.locator('#log-search').fill('messagerie');
    await expect(dg.page.locator('[data-testid="log-entry"]')).toHaveCount(1);

    // The board: cards can be walked, not moved or edited, by keyboard or otherwise.
    await dg.page.getByTestId('tab-tasks').click();
    const card = dg.page.locator('[data-testid="task-card"]', { hasText: 'Isoler le VLAN imagerie' });
    await card.waitFor();
    await card.focus();
    await dg.page.keyboard.press('Shift+ArrowRight');
    await dg.page.keyboard.press('Enter');
    await card.dblclick();
    expect(await card.getAttribute('data-status')).toBe('todo');
    expect(await dg.page.locator(writeControls).count()).toBe(0);

    await dg.page.getByTestId('tab-decisions').click();
    await dg.page.locator('[data-testid="decision"]', { hasText: 'Déclencher le plan blanc' }).waitFor();
    expect(await dg.page.locator(writeControls).count()).toBe(0);

    // Members: a list to read; no audit trail (directors only).
    await dg.page.getByTestId('tab-members').click();
    await dg.page.locator('[data-testid="member"]', { hasText: 'Directrice générale' }).waitFor();
    expect(await dg.page.locator('[data-testid="member"][data-role="observer"]').count()).toBe(1);
    expect(await dg.page.getByTestId('tab-audit').count()).toBe(0);
    expect(await dg.page.locator(writeControls).count()).toBe(0);

    // Nothing was sent, nothing changed.
    expect(await dg.page.getByTestId('connection').getAttribute('data-pending')).toBe('0');
    const state = await getIncidentState(server.url, id);
    expect([state.log.length, state.tasks.map((t) => t.status), state.decisions.map((d) => d.status)]).toEqual([1, ['todo'], ['proposed']]);

    // The management view works for the observer, live.
    await openRoom(dg.page, server.url, id, 'management');
    await waitLive(dg.page);
    await dg.page.locator('[data-testid="mgmt-decision"]', { hasText: 'Déclencher le plan blanc' }).waitFor();
    await openRoom(alice.page, server.url, id, 'log');
    await waitLive(alice.page);
    await postEntry(alice.page, '#alerte !!! Plus de téléphonie au bloc opératoire');
    await dg.page.locator('[data-testid="mgmt-alert"]', { hasText: 'Plus de téléphonie au bloc opératoire' }).waitFor();
    // Present under their own name, in the management view.
    await alice.page.locator('[data-testid="presence"] [data-name="Directrice générale"][data-view="management"]').waitFor();
    await expectClean(dg);
    await expectClean(alice);
  });
});
