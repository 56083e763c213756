import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD, login } from '../helpers/accounts';

/** /usr/bin/chromium (Debian's package); CRISIS_CHROMIUM points elsewhere (and lets the skip path be tried). */
export const CHROMIUM_PATH = process.env.CRISIS_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ROOT = path.resolve(__dirname, '..', '..');

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

/**
 * Browser tests skip with a clear message where Chromium is missing, except in CI (CI=true),
 * where a missing browser is a failure: a green CI must mean the browser tests ran.
 */
export function browserSuite(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('Chromium is installed', () => {
        throw new Error(`${CHROMIUM_PATH} is missing: CI must run the browser tests (apt-get install chromium)`);
      });
    });
    return;
  }
  console.warn(`SKIPPED browser tests "${name}": ${CHROMIUM_PATH} is absent (apt-get install chromium to run them).`);
  describe.skip(name, body); // skipped only on a laptop without Chromium: the warning above says how to install it; CI fails instead
}

/** Builds the client with scripts/build-web.mjs into a fresh folder and returns it. */
export function buildWebRoot(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-web-'));
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-web.mjs'), '--out', out, '--quiet'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface Watched {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  pageErrors: string[];
  cspViolations: string[];
  consoleErrors: string[];
}

export interface ContextOptions {
  locale?: string;
  timezoneId?: string;
  viewport?: { width: number; height: number };
  lang?: 'fr' | 'en';
  colorScheme?: 'light' | 'dark';
  /** Ignore the server's Content-Security-Policy (to check that rendering alone is safe, or to inject axe-core). */
  bypassCSP?: boolean;
  /** A touch screen (a phone or a tablet): coarse pointer, touch targets of 44 px. */
  hasTouch?: boolean;
}

/**
 * A fresh browser context (its own storage, like another person's laptop), watched. The
 * server's real headers apply, its strict CSP included (helmet, server/auth/http/hardening.ts).
 */
export async function openContext(browser: Browser, options: ContextOptions = {}): Promise<Watched> {
  const context = await browser.newContext({
    locale: options.locale ?? 'fr-FR',
    timezoneId: options.timezoneId ?? 'Europe/Paris',
    viewport: options.viewport ?? { width: 1440, height: 900 },
    serviceWorkers: 'allow',
    colorScheme: options.colorScheme ?? 'light',
    bypassCSP: options.bypassCSP ?? false,
    hasTouch: options.hasTouch ?? false,
  });
  const init = { lang: options.lang ?? null };
  await context.addInitScript((s: { lang: string | null }) => {
    if (s.lang && !localStorage.getItem('crisis.lang')) localStorage.setItem('crisis.lang', s.lang);
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  }, init);
  const page = await context.newPage();
  const watched: Watched = { context, page, dialogs: [], pageErrors: [], cspViolations: [], consoleErrors: [] };
  watch(watched, page);
  return watched;
}

export function watch(w: Watched, page: Page): void {
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (e) => w.pageErrors.push(e.message));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) w.cspViolations.push(text);
    if (m.type() === 'error') w.consoleErrors.push(text);
  });
}

/** CSP violations seen by the page itself (securitypolicyviolation events). */
export async function pageCspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

/**
 * Logs the context in as `email` without the login page: a password login over REST, and its
 * session cookie (HttpOnly, SameSite=Strict) handed to the browser as the server set it.
 */
export async function signIn(w: Watched, baseUrl: string, email: string, password: string = TEST_PASSWORD): Promise<string> {
  const cookie = await login(baseUrl, email, password);
  const eq = cookie.indexOf('=');
  await w.context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: baseUrl, httpOnly: true, sameSite: 'Strict' }]);
  return cookie;
}

/** Logs in through the login page, as a person would. */
export async function loginThroughPage(page: Page, email: string, password: string): Promise<void> {
  await page.locator('#login-email').fill(email);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-password').press('Enter');
}

export async function openRoom(page: Page, baseUrl: string, incidentId: string, view: 'log' | 'tasks' | 'decisions' | 'reports' | 'members' | 'audit' | 'management' = 'log'): Promise<void> {
  await page.goto(`${baseUrl}/#/incident/${incidentId}/${view}`);
  if (view === 'management') await page.waitForSelector('[data-testid="management"]');
  else await page.waitForSelector(`[data-testid="tab-${view}"][aria-selected="true"]`);
}

/**
 * Holds the local copy of one document part in every page of the context: its IndexedDB open
 * answers only once `releaseLocalCopy` is called, so the incident's documents cannot open, as
 * while a large copy loads.
 */
export async function holdLocalCopy(context: BrowserContext, part: 'log' | 'tasks' | 'decisions'): Promise<void> {
  await context.addInitScript((suffix: string) => {
    const held: Array<() => void> = [];
    const realOpen = IDBFactory.prototype.open;
    const win = window as unknown as { __releaseCopy: () => void; __released: boolean };
    IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
      if (win.__released || !name.endsWith(suffix)) return realOpen.call(this, name, version);
      const stand: Partial<IDBOpenDBRequest> = {};
      held.push(() => {
        const real = realOpen.call(indexedDB, name, version);
        real.onupgradeneeded = (e) => stand.onupgradeneeded?.call(real, e);
        real.onsuccess = (e) => stand.onsuccess?.call(real, e);
        real.onerror = (e) => stand.onerror?.call(real, e);
      });
      return stand as IDBOpenDBRequest;
    } as typeof realOpen;
    win.__released = false;
    win.__releaseCopy = () => {
      win.__released = true;
      for (const go of held.splice(0)) go();
    };
  }, `:${part}`);
}

/** Lets the local copy held by `holdLocalCopy` open. */
export async function releaseLocalCopy(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __releaseCopy: () => void }).__releaseCopy());
}

export async function waitLive(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="connection"][data-status="live"]', { timeout: 20_000 });
}

/** Types a line in the quick-entry field and posts it with Enter. */
export async function postEntry(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('quick-entry');
  await input.fill(text);
  await input.press('Enter');
}

export function entryLocator(page: Page, text: string) {
  return page.locator('[data-testid="log-entry"]', { has: page.locator('[data-testid="entry-text"]', { hasText: text }) });
}

/** The built client and one Chromium shared by a suite's tests (open in beforeAll, close in afterAll). */
export interface SuiteBrowser {
  webRoot: string;
  browser: Browser;
}

export async function openSuiteBrowser(): Promise<SuiteBrowser> {
  const webRoot = buildWebRoot();
  return { webRoot, browser: await launchChromium() };
}

export async function closeSuiteBrowser(suite: Partial<SuiteBrowser>): Promise<void> {
  await suite.browser?.close();
  if (suite.webRoot) fs.rmSync(suite.webRoot, { recursive: true, force: true });
}

/** Nothing went wrong on the page: no dialog, no uncaught error, no CSP violation (reported or seen by the page). */
export async function expectClean(w: Watched): Promise<void> {
  expect(w.dialogs).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.cspViolations).toEqual([]);
  expect(await pageCspViolations(w.page)).toEqual([]);
}

/** The one polling helper (test/helpers/poll.ts), for the browser tests that import it from here. */
export { poll } from '../helpers/poll';

interface AxeResult {
  violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

/** axe-core's serious and critical violations on the page (its context must bypass the CSP, so axe can be injected). */
export async function seriousViolations(page: Page): Promise<Array<{ id: string; help: string; nodes: string[] }>> {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.map(String).join(' ')) }));
  });
}
