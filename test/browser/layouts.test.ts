import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { api, adminToken, createUser, setRole } from '../helpers/accounts';
import { startTestServer } from '../helpers/testServer';
import type { RunningServer } from '../../server/createServer';
import { MAX_ENTRY_TEXT_CHARS } from '../../shared/model/log';
import { MAX_TASK_DESCRIPTION_CHARS } from '../../shared/model/tasks';
import { Watched, browserSuite, closeSuiteBrowser, entryLocator, expectClean, openContext, openRoom, openSuiteBrowser, poll, signIn, waitLive } from './harness';
import { seedDecision, seedLog, seedTask } from './seed';

jest.setTimeout(300_000);

let webRoot = '';
let browser: Browser;

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'wall-1080p', width: 1920, height: 1080 },
  { name: 'wall-4k', width: 3840, height: 2160 },
] as const;
const ROOM_TABS = ['log', 'tasks', 'decisions', 'reports', 'regulatory', 'timeline', 'members'] as const;
const DECISIONS = 10;
const OPEN_TASKS = 14;

interface Seeded {
  id: string;
  director: { email: string };
}

/** An incident with more of everything than a wall panel holds: 16 log entries, 10 decisions, 14 open tasks (and 2 closed). */
async function seedIncident(server: RunningServer): Promise<Seeded> {
  const detected = new Date(Date.now() - 3 * 3600_000);
  const created = await api<{ id: string }>(server.url, '/api/incidents', {
    token: await adminToken(server.url),
    body: { title: 'Cyberattaque — rançongiciel sur le SI du CHU de Rennes, sites Pontchaillou et Hôtel-Dieu', detectedAt: detected.toISOString(), severity: 'critical' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const at = (m: number) => new Date(detected.getTime() + m * 60_000);
  const sources = ['Supervision DSI', 'Standard', 'Laboratoire', 'Pharmacie', 'SAMU 35', 'Cadre des urgences — site Pontchaillou, bâtiment principal'];
  await seedLog(
    server,
    id,
    Array.from({ length: 16 }, (_, i) => ({
      at: at(2 + i * 9),
      author: i % 2 ? 'Cédric Le Goff (DSI)' : 'Dr Anne Martin',
      input: {
        text: `Point ${i + 1} : ${i % 3 === 0 ? 'serveurs chiffrés, postes isolés du réseau, bascule en procédures dégradées' : 'situation stable, prochain point dans 30 minutes'}`,
        category: i % 4 === 0 ? ('alert' as const) : ('information' as const),
        severity: i % 4 === 0 ? ('high' as const) : ('low' as const),
        source: sources[i % sources.length]!,
      },
    })),
  );
  for (let i = 0; i < DECISIONS; i++) {
    await seedDecision(server, id, { title: `Décision ${i + 1} : ${i % 2 ? 'déprogrammer les interventions non urgentes' : 'couper les interconnexions GHT'}`, statement: 'Énoncé de la décision, sur une ou deux lignes au plus pour le mur.', rationale: 'Motif.', status: i < 7 ? 'approved' : 'proposed' }, 'Dr Anne Martin', at(5 + i * 10));
  }
  const statuses = ['todo', 'in_progress', 'blocked'] as const;
  for (let i = 0; i < OPEN_TASKS; i++) {
    await seedTask(server, id, { title: `Tâche ${i + 1} : recenser les postes chiffrés du service ${i + 1}`, status: statuses[i % 3]!, priority: i % 5 === 0 ? 'urgent' : 'normal', assignee: i % 2 ? 'Équipe DSI' : null, dueAt: new Date(Date.now() + (i - 4) * 15 * 60_000).toISOString() }, 'Dr Anne Martin', at(20 + i));
  }
  await seedTask(server, id, { title: 'Tâche terminée', status: 'done', priority: 'low' }, 'Dr Anne Martin', at(30));
  await seedTask(server, id, { title: 'Tâche annulée', status: 'cancelled', priority: 'low' }, 'Dr Anne Martin', at(31));
  const director = await createUser(server.url, 'Dr Anne Martin');
  expect((await setRole(server.url, id, director.id, 'director')).status).toBe(200);
  return { id, director };
}

async function person(server: RunningServer, email: string, options: Parameters<typeof openContext>[1] = {}): Promise<Watched> {
  const w = await openContext(browser, options);
  await signIn(w, server.url, email);
  return w;
}

/** The page is no wider than the window: nothing pushes it sideways. */
async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; clientWidth: number; widest: string }> {
  return page.evaluate(() => {
    const el = document.scrollingElement!;
    let widest = '';
    if (el.scrollWidth > el.clientWidth) {
      // Name the outermost element that sticks out and is not inside a box that scrolls or clips sideways.
      const clipped = (node: HTMLElement): boolean => {
        for (let a = node.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true;
        return false;
      };
      for (const node of document.querySelectorAll<HTMLElement>('body *')) {
        const r = node.getBoundingClientRect();
        if (r.right > el.clientWidth + 1 && !clipped(node)) {
          widest = `${node.tagName.toLowerCase()}.${node.className} (${Math.round(r.right)})`;
          break;
        }
      }
    }
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, widest };
  });
}

async function expectNoOverflow(page: Page, where: string): Promise<void> {
  const o = await horizontalOverflow(page);
  expect({ where, ...o, fits: o.scrollWidth <= o.clientWidth }).toEqual({ where, ...o, fits: true });
}

/** The Post button is the element under its own centre: nothing (a footer, a menu) covers it. */
async function postUncovered(page: Page): Promise<boolean> {
  return page.getByTestId('post-button').evaluate((button) => {
    const r = button.getBoundingClientRect();
    if (r.width === 0 || r.bottom > window.innerHeight || r.right > window.innerWidth) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === button || button.contains(hit));
  });
}

/** Log entries wholly visible in the list and in the window. */
async function visibleEntries(page: Page): Promise<number> {
  return page.evaluate(() => {
    const list = document.getElementById('log-list')!.getBoundingClientRect();
    let n = 0;
    for (const e of document.querySelectorAll('[data-testid="log-entry"]')) {
      const r = e.getBoundingClientRect();
      if (r.top >= list.top - 1 && r.bottom <= list.bottom + 1 && r.bottom <= window.innerHeight && r.height > 0) n += 1;
    }
    return n;
  });
}

/** On the wall, each item of a panel is either wholly visible or counted in its "+N". */
async function reachable(page: Page, item: string, more: string): Promise<{ visible: number; more: number; clipped: number }> {
  return page.evaluate(
    ({ item, more }) => {
      let visible = 0;
      let clipped = 0;
      for (const e of document.querySelectorAll(`[data-testid="${item}"]`)) {
        const r = e.getBoundingClientRect();
        const box = e.closest('.fit-list')!.getBoundingClientRect();
        if (r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= window.innerHeight + 1 && r.right <= window.innerWidth + 1) visible += 1;
        else clipped += 1;
      }
      const counted = Number(document.querySelector(`[data-testid="${more}"]`)?.getAttribute('data-more') ?? '0');
      return { visible, more: counted, clipped };
    },
    { item, more },
  );
}

browserSuite('layouts: phone, tablet, desktop and wall', () => {
  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });
  afterAll(async () => {
    await closeSuiteBrowser({ webRoot, browser });
  });

  test('every viewport: no sideways overflow, Post never covered, the log readable on a phone, every decision and open task reachable on the wall', async () => {
    const server = await startTestServer({ webRoot });
    const { id, director } = await seedIncident(server);
    for (const vp of VIEWPORTS) {
      const phoneLike = vp.width < 800;
      const w = await person(server, director.email, { viewport: { width: vp.width, height: vp.height }, lang: 'en', ...(phoneLike ? { hasTouch: true } : {}) });
      const { page } = w;
      await openRoom(page, server.url, id, 'log');
      await waitLive(page);
      await entryLocator(page, 'Point 16').waitFor();
      for (const tab of ROOM_TABS) {
        if (tab !== 'log') {
          await page.getByTestId(`tab-${tab}`).click();
          await page.locator(`[data-testid="tab-${tab}"][aria-selected="true"]`).waitFor();
        }
        await expectNoOverflow(page, `${vp.name} ${tab}`);
        // The open tab is wholly in sight (scrolled to, never cut).
        const tabBox = await page.getByTestId(`tab-${tab}`).boundingBox();
        expect(tabBox !== null && tabBox.x >= 0 && tabBox.x + tabBox.width <= vp.width + 1).toBe(true);
      }
      await page.getByTestId('tab-log').click();
      await entryLocator(page, 'Point 16').waitFor();
      await page.getByTestId('quick-entry').fill('Standard saturé, renfort demandé');
      expect(await postUncovered(page)).toBe(true);
      if (phoneLike) {
        // A touch screen: every control in sight in the header, toolbar and entry line is at least 44 px high.
        const small = await page.evaluate(() => {
          if (!matchMedia('(pointer: coarse)').matches) return ['pointer is not coarse'];
          const out: string[] = [];
          for (const el of document.querySelectorAll<HTMLElement>('.room-head button, .room-head a, .room-head select, .log-toolbar button, .log-toolbar input, .quick-entry button, .quick-entry input')) {
            const r = el.getBoundingClientRect();
            const shown = r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden' && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
            if (shown && r.height < 43.5) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.height)}px`);
          }
          return out;
        });
        expect(small).toEqual([]);
      }
      if (vp.name === 'phone') {
        expect(await poll(() => visibleEntries(page), (n) => n >= 5)).toBeGreaterThanOrEqual(5);
        await shot(page, 'phone-room-log.png');
      }
      if (vp.name === 'desktop') await shot(page, 'desktop-room.png');
      await page.getByTestId('quick-entry').fill('');

      await page.goto(`${server.url}/#/`);
      await page.locator(`[data-testid="incident-item"][data-id="${id}"]`).waitFor();
      await expectNoOverflow(page, `${vp.name} list`);

      await page.goto(`${server.url}/#/incident/${id}/management`);
      await page.getByTestId('management').waitFor();
      await page.locator('[data-testid="mgmt-decision"]').first().waitFor();
      await expectNoOverflow(page, `${vp.name} management`);
      if (vp.width >= 1900) {
        // Measured after the lists settle: whatever is not wholly visible is counted in "+N".
        const decisions = await poll(() => reachable(page, 'mgmt-decision', 'mgmt-more-decisions'), (r) => r.clipped === 0 && r.visible + r.more === DECISIONS);
        expect(decisions).toMatchObject({ clipped: 0 });
        expect(decisions.visible + decisions.more).toBe(DECISIONS);
        const tasks = await poll(() => reachable(page, 'mgmt-task', 'mgmt-more-tasks'), (r) => r.clipped === 0 && r.visible + r.more === OPEN_TASKS);
        expect(tasks).toMatchObject({ clipped: 0 });
        expect(tasks.visible + tasks.more).toBe(OPEN_TASKS);
        // The connection and the last update, in large type.
        const size = await page.getByTestId('connection').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
        expect(size).toBeGreaterThanOrEqual(vp.width >= 3840 ? 60 : 30);
        if (vp.width === 1920) await shot(page, 'wall-1080p-management.png');
      }
      await expectClean(w);
      await w.context.close();
    }
  });

  test('over-long text is refused before posting or saving, with the limit and its length, and stays in the field; a long entry shows folded', async () => {
    const server = await startTestServer({ webRoot });
    const { id, director } = await seedIncident(server);
    const w = await person(server, director.email, { lang: 'en' });
    const { page } = w;
    await openRoom(page, server.url, id, 'log');
    await waitLive(page);
    const input = page.getByTestId('quick-entry');
    const post = page.getByTestId('post-button');
    // Prefixes only: Post is disabled and says why.
    await input.fill('#alert !!');
    expect(await post.isDisabled()).toBe(true);
    await expect(page.getByTestId('post-reason').textContent()).resolves.toContain('Prefixes only');
    // 20,000 characters: nothing cut, nothing posted, the length and the limit said.
    const long = 'x'.repeat(MAX_ENTRY_TEXT_CHARS * 2);
    await input.fill(long);
    expect(await input.inputValue()).toHaveLength(long.length);
    expect(await post.isDisabled()).toBe(true);
    await input.press('Enter');
    const said = (await page.getByTestId('quick-length').textContent()) ?? '';
    expect(said).toContain('20,000');
    expect(said).toContain('10,000');
    expect(await input.inputValue()).toHaveLength(long.length);
    expect(await page.getByTestId('log-count').getAttribute('data-total')).toBe('16');
    // At the limit it goes, and shows folded with "show more".
    await input.fill(`Long ${'y'.repeat(MAX_ENTRY_TEXT_CHARS - 5)}`);
    await input.press('Enter');
    await page.locator('[data-testid="log-count"][data-total="17"]').waitFor();
    const folded = page.locator('[data-testid="entry-text"][data-folded="true"]');
    await folded.waitFor();
    const height = (await folded.boundingBox())!.height;
    expect(height).toBeLessThan(250);
    await page.getByTestId('show-more').click();
    await page.locator('[data-testid="entry-text"][data-folded="false"]').waitFor();
    // A task's description over its limit: said, Save disabled, the text kept.
    await page.getByTestId('tab-tasks').click();
    await page.locator('[data-testid="task-card"]').first().dblclick();
    const description = page.locator('dialog.task-editor textarea');
    const longDescription = 'z'.repeat(MAX_TASK_DESCRIPTION_CHARS + 1);
    await description.fill(longDescription);
    expect(await page.getByTestId('task-description-length').textContent()).toContain('10,001');
    expect(await page.getByTestId('task-save').isDisabled()).toBe(true);
    expect(await description.inputValue()).toHaveLength(longDescription.length);
    await expectClean(w);
  });
});

/** README pictures: written to docs/screenshots when UPDATE_SCREENSHOTS=1, not otherwise. */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(dir, name) });
}
