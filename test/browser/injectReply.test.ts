import type { Browser } from 'playwright-core';
import type { ExerciseInject } from '../../shared/exercise/exerciseState';
import { startTestServer, waitFor } from '../helpers/testServer';
import { sessionChanges } from '../helpers/sessions';
import { exerciseWorld, playerSession, waitForInject } from '../exercise/exerciseWorld';
import { browserSuite, closeSuiteBrowser, entryLocator, expectClean, openContext, openRoom, openSuiteBrowser, poll, seriousViolations, signIn, waitLive } from './harness';

jest.setTimeout(180_000);

let webRoot = '';
let browser: Browser;

beforeAll(async () => {
  ({ webRoot, browser } = await openSuiteBrowser());
});
afterAll(() => closeSuiteBrowser({ webRoot, browser }));

/**
 * A started exercise paused at its first inject (T+00:00; the pause keeps the others away), with
 * the player's own copy over the SDK, to read what the browser stored.
 */
async function pausedAtFirstInject() {
  const server = await startTestServer({ webRoot });
  const world = await exerciseWorld(server.url);
  const sdk = await playerSession(server.url, world.id);
  expect((await world.animate('/start')).status).toBe(200);
  const inject = await waitForInject(sdk, 'network-cut');
  expect((await world.animate('/pause')).status).toBe(200);
  return { server, world, sdk, inject };
}

browserSuite('exercise injects in the log: one keystroke to answer one', () => {
  test('a player sees the inject as one, answers it with r (the entry carries replyTo), makes a task of it with t, and links the latest inject from the task board; bases a decision on one; the timeline draws each inject to its reactions', async () => {
    const { server, world, sdk, inject } = await pausedAtFirstInject();

    const w = await openContext(browser, { lang: 'en', bypassCSP: true });
    await signIn(w, server.url, world.player.email);
    const { page } = w;
    await openRoom(page, server.url, world.id, 'log');
    await waitLive(page);

    // The inject row: marked, with its channel, its source and the role it is addressed to.
    const row = page.locator(`[data-testid="log-entry"][data-inject="network-cut"]`);
    await row.waitFor();
    expect(await row.getByTestId('inject-badge').innerText()).toContain('Inject');
    expect(await row.getByTestId('inject-channel').innerText()).toBe('Technical alert');
    expect(await row.getByTestId('inject-from').innerText()).toContain(inject.inject!.from);
    // The role by its label in the exercise's language (its public view, read once the log has injects), not its id.
    const addressee = row.getByTestId('inject-to');
    await addressee.filter({ hasText: 'Responsable SI / sécurité (RSSI)' }).waitFor();
    expect(await addressee.innerText()).not.toContain('it-security');

    // Selected (a click on it), `r`: the line replies to it; Esc gives up; `r` again, type, Enter.
    await row.getByTestId('entry-text').click();
    await page.keyboard.press('r');
    const chip = page.getByTestId('reply-chip');
    await chip.waitFor();
    expect(await chip.getAttribute('data-reply-to')).toBe(inject.id);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('quick-entry');
    expect(await page.getByTestId('quick-entry').inputValue()).toBe('');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await chip.waitFor({ state: 'detached' });
    await row.getByTestId('entry-text').click();
    await page.keyboard.press('r');
    await chip.waitFor();
    await page.keyboard.type('RSSI prévenu, segments isolés');
    await page.keyboard.press('Enter');
    await chip.waitFor({ state: 'detached' });
    const find = () => sdk.log.entries().find((e) => e.text === 'RSSI prévenu, segments isolés');
    await waitFor(() => find() !== undefined, sessionChanges(sdk), 'the reply in the log');
    expect(find()!.replyTo).toBe(inject.id);
    // The reply says what it answers.
    const answers = entryLocator(page, 'RSSI prévenu').getByTestId('entry-answers');
    await answers.waitFor();
    expect(await answers.innerText()).toContain(inject.text.slice(0, 20));

    // `t` on the selected inject: a task linked to it.
    await row.getByTestId('entry-text').click();
    await page.keyboard.press('t');
    const linked = () => sdk.tasks.list().filter((task) => task.logLinks.includes(inject.id));
    await waitFor(() => linked().length === 1, sessionChanges(sdk), 'a task linked to the inject');
    expect(linked()[0]!.title).toBe(inject.text.slice(0, 300));

    // The board: an improvised inject, then Alt+I in the new-task form links the latest inject no task answers.
    const improvised = await world.animate<ExerciseInject>('/injects', { channel: 'phone', from: 'Préfecture', to: 'director', text: 'La préfecture demande un point téléphonique', expected: 'Un interlocuteur rappelle' });
    expect(improvised.status).toBe(201);
    const second = await waitForInject(sdk, improvised.body.id);
    await page.getByTestId('tab-tasks').click();
    const title = page.locator('#new-task-title');
    await title.click();
    await page.keyboard.type('Rappeler la préfecture');
    await page.keyboard.press('Alt+i');
    expect(await page.getByTestId('task-inject-chip').getAttribute('data-entry-id')).toBe(second.id);
    await title.press('Enter');
    const answering = () => sdk.tasks.list().find((task) => task.title === 'Rappeler la préfecture');
    await waitFor(() => answering() !== undefined, sessionChanges(sdk), 'the task of the board');
    expect(answering()!.logLinks).toEqual([second.id]);
    // Its card shows the inject it answers.
    const card = page.locator(`[data-testid="task-card"][data-task-id="${answering()!.id}"]`);
    expect(await card.getByTestId('card-inject').getAttribute('data-entry-id')).toBe(second.id);
    expect(await seriousViolations(page)).toEqual([]);

    // The decisions: Alt+I bases the new decision on the latest inject no decision is based on.
    await page.getByTestId('tab-decisions').click();
    await page.locator('#new-decision-title').click();
    await page.keyboard.type('Point presse à 18 h');
    await page.keyboard.press('Alt+i');
    expect(await page.getByTestId('task-inject-chip').getAttribute('data-entry-id')).toBe(second.id);
    await page.locator('#new-decision-title').press('Enter');
    const decision = () => sdk.decisions.list().find((d) => d.title === 'Point presse à 18 h');
    await waitFor(() => decision() !== undefined, sessionChanges(sdk), 'the decision based on the inject');
    expect(decision()!.basedOn).toEqual([second.id]);

    // The timeline: the injects on their lane, a line from each to its reactions (the answer, the two tasks, the decision).
    await page.getByTestId('tab-timeline').click();
    const lines = page.getByTestId('tl-reaction');
    const drawn = async () => (await lines.evaluateAll((ls) => ls.map((l) => `${l.getAttribute('data-inject')}>${l.getAttribute('data-reaction')}`))).sort();
    const expected = [`${inject.id}>${find()!.id}`, `${inject.id}>${linked()[0]!.id}`, `${second.id}>${answering()!.id}`, `${second.id}>${decision()!.id}`].sort();
    expect(await poll(drawn, (got) => JSON.stringify(got) === JSON.stringify(expected), { timeoutMs: 30_000 })).toEqual(expected);
    expect(await page.locator('[data-testid="tl-mark"][data-lane="injects"]').count()).toBe(2);
    await expectClean(w);
    await w.context.close();
  });
  test('on a phone, the inject row shows its reply button (44 px): a tap, a line, Post, and the entry answers the inject', async () => {
    const { server, world, sdk, inject } = await pausedAtFirstInject();

    const w = await openContext(browser, { lang: 'fr', viewport: { width: 390, height: 844 }, hasTouch: true });
    await signIn(w, server.url, world.player.email);
    const { page } = w;
    await openRoom(page, server.url, world.id, 'log');
    await waitLive(page);
    const row = page.locator(`[data-testid="log-entry"][data-inject="network-cut"]`);
    await row.waitFor();
    expect(await row.getByTestId('inject-channel').innerText()).toBe('Alerte technique');
    const reply = row.getByTestId('reply-button');
    expect(await reply.getAttribute('aria-label')).toContain('Répondre');
    const box = (await reply.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(43.5);
    await reply.tap();
    await page.getByTestId('reply-chip').waitFor();
    await page.getByTestId('quick-entry').fill('Cellule convoquée');
    await page.getByTestId('post-button').tap();
    const find = () => sdk.log.entries().find((e) => e.text === 'Cellule convoquée');
    await waitFor(() => find() !== undefined, sessionChanges(sdk), 'the reply from the phone');
    expect(find()!.replyTo).toBe(inject.id);
    await expectClean(w);
    await w.context.close();
  });
});
