import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { IncidentTemplateFileSchema, localText } from '../../shared/templates/incidentTemplate';
import { onTeardown, startTestServer } from '../helpers/testServer';
import { testUser } from '../helpers/accounts';
import { browserSuite, openContext, signIn, waitLive, openSuiteBrowser, closeSuiteBrowser } from '../browser/harness';

jest.setTimeout(120_000);

const SHIPPED = IncidentTemplateFileSchema.parse(JSON.parse(fs.readFileSync(path.join(__dirname, '../../templates/cyberattack-healthcare.json'), 'utf8')));

browserSuite('practice in the browser client', () => {
  let webRoot = '';
  let browser: Browser;

  beforeAll(async () => {
    ({ webRoot, browser } = await openSuiteBrowser());
  });

  afterAll(() => closeSuiteBrowser({ webRoot, browser }));

  test.each(['fr', 'en'] as const)('%s: a new incident from the template opens with its tasks, and the room offers the paper kit', async (lang) => {
    const server = await startTestServer({ webRoot });
    const user = await testUser(server.url, 'Claire Dubois');
    const w = await openContext(browser, { lang });
    onTeardown(() => w.context.close().catch(() => undefined));
    await signIn(w, server.url, user.email);
    await w.page.goto(`${server.url}/`);
    const select = w.page.getByTestId('incident-template');
    await select.locator('option[value="cyberattack-healthcare"]').waitFor({ state: 'attached' });
    expect(await select.locator('option[value="cyberattack-healthcare"]').textContent()).toBe(localText(SHIPPED.name, lang));
    await select.selectOption('cyberattack-healthcare');
    await w.page.getByTestId('template-help').waitFor();
    await w.page.locator('#incident-title').fill('Rançongiciel');
    await w.page.locator('#incident-title').press('Enter');
    await w.page.getByTestId('tab-log').waitFor();
    await waitLive(w.page);
    await w.page.getByTestId('tab-tasks').click();
    await w.page.locator('[data-testid="tab-tasks"][aria-selected="true"]').waitFor();
    await w.page.locator('[data-testid="task-card"]').nth(SHIPPED.tasks.length - 1).waitFor();
    expect(await w.page.locator('[data-testid="task-card"]').count()).toBe(SHIPPED.tasks.length);
    await w.page.locator('[data-testid="task-card"]', { hasText: localText(SHIPPED.tasks[0]!.title, lang) }).waitFor();

    const kit = w.page.getByTestId('kit-link');
    expect(await kit.textContent()).toBe(lang === 'fr' ? 'Kit papier (PDF)' : 'Paper kit (PDF)');
    const href = (await kit.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^/api/incidents/[0-9a-z]+/kit\\.pdf\\?lang=${lang}&tz=`));
    // The browser's session fetches it.
    const res = await w.context.request.get(`${server.url}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(w.pageErrors).toEqual([]);
    expect(w.cspViolations).toEqual([]);
  });
});
