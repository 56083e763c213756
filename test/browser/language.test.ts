import type { Browser, Page } from 'playwright-core';
import { LANGS, type Lang, localeOf } from '../../shared/i18n/lang';
import { words } from '../../shared/i18n';
import { onTeardown, startTestServer } from '../helpers/testServer';
import { TEST_ADMIN, adminToken, api, createIncidentAsAdmin } from '../helpers/accounts';
import { browserSuite, closeSuiteBrowser, openContext, openSuiteBrowser, signIn, waitLive } from './harness';
import { seedDecision, seedLog, seedTask } from './seed';
import { foreignHabits, formatterOutputs, isoInstants, strangeDates } from '../i18n/helpers/habits';

jest.setTimeout(180_000);

/**
 * Issue 14 item 3, the web views: logged in with each language, every view (the room's tabs,
 * the incident list, the management view, the account page, the administration) shows no word
 * or punctuation habit of the other language, and no date the shared formatter did not write.
 * What is typed in the seeded incident is neutral (codes, names), so whatever is found came
 * from the client.
 */
const ZONE = 'America/New_York';
const ROOM_VIEWS = ['log', 'tasks', 'decisions', 'reports', 'regulatory', 'members', 'audit', 'timeline'] as const;

/** What a reader sees and hears on the page: its text, and the titles, labels and placeholders of its elements. */
async function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attrs = [...document.querySelectorAll('[title], [aria-label], [placeholder]')].flatMap((el) => ['title', 'aria-label', 'placeholder'].map((a) => el.getAttribute(a) ?? ''));
    return [document.body.innerText, ...attrs].join('\n');
  });
}

browserSuite('one language at a time in the web client', () => {
  let webRoot = '';
  let browser: Browser;

  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });
  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test.each(LANGS.map((l) => [l]))('%s: every view speaks only its language', async (lang: Lang) => {
    const startedAt = Date.now();
    const server = await startTestServer({ webRoot });
    const id = await createIncidentAsAdmin(server.url, 'PACS-7 / VLAN-3');
    const now = new Date();
    await seedLog(server, id, [
      { at: new Date(now.getTime() - 90_000), author: 'Ada Nova', input: { text: 'PACS-7 X-42', category: 'alert', severity: 'critical', key: true, source: 'SAMU 75' } },
      { at: new Date(now.getTime() - 60_000), author: 'Ada Nova', input: { text: 'VLAN-3 ok', category: 'communication', severity: 'low' } },
    ]);
    await seedTask(server, id, { title: 'VLAN-3 ACL', priority: 'urgent', status: 'in_progress', assignee: 'Zed Ortiz' }, 'Ada Nova', now);
    await seedTask(server, id, { title: 'PACS-7 SAN', priority: 'high', status: 'blocked' }, 'Ada Nova', now);
    await seedDecision(server, id, { title: 'VLAN-3 OFF', statement: 'ACL 12', status: 'proposed' }, 'Ada Nova', now, [{ status: 'approved', by: 'Ada Nova', at: now, note: 'OK-1' }]);

    const w = await openContext(browser, { lang, locale: localeOf(lang), timezoneId: ZONE });
    onTeardown(() => w.context.close().catch(() => undefined));
    await signIn(w, server.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const page = w.page;
    const t = words(lang);
    const seen: Array<[string, string]> = [];

    await page.goto(`${server.url}/#/`);
    await page.getByText(t.common.newIncident).first().waitFor();
    seen.push(['incident list', await pageText(page)]);
    for (const view of ROOM_VIEWS) {
      await page.goto(`${server.url}/#/incident/${id}/${view}`);
      await page.waitForSelector(`[data-testid="tab-${view}"][aria-selected="true"]`);
      await waitLive(page);
      if (view === 'log') await page.locator('[data-testid="log-entry"]').nth(1).waitFor();
      if (view === 'tasks') await page.locator('[data-testid="task-card"]').nth(1).waitFor();
      if (view === 'timeline') await page.getByTestId('tl-details').waitFor();
      seen.push([`room: ${view}`, await pageText(page)]);
    }
    await page.goto(`${server.url}/#/incident/${id}/management`);
    await page.waitForSelector('[data-testid="management"]');
    seen.push(['management view', await pageText(page)]);
    await page.goto(`${server.url}/#/account`);
    await page.getByText(t.accounts.apiTokens).first().waitFor();
    seen.push(['account', await pageText(page)]);
    await page.goto(`${server.url}/#/admin`);
    await page.getByText(t.accounts.invitePerson).first().waitFor();
    seen.push(['administration', await pageText(page)]);

    // Every instant the views may print: the test's own span, and the incident's deadlines.
    const regulatory = await api(server.url, `/api/incidents/${id}/regulatory`, { token: await adminToken(server.url) });
    // Up to two days ahead: the timeline's window ends a little past now, a session lasts hours.
    const known = formatterOutputs(lang, ZONE, startedAt - 3_600_000, Date.now() + 2 * 86_400_000, isoInstants(regulatory.body));
    for (const [name, text] of seen) {
      expect({ name, foreign: foreignHabits(text, lang) }).toEqual({ name, foreign: [] });
      expect({ name, dates: strangeDates(text.replace(/\s+/g, ' '), known) }).toEqual({ name, dates: [] });
    }
    expect(w.pageErrors).toEqual([]);
  });
});
