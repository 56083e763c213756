import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loginThroughPage, openContext, openRoom } from '../../browser/harness';

/**
 * Browser pages of the rolling-upgrade scenario, each in a context of its own (another
 * person's laptop), logged in through the login page of the address they are given (nginx),
 * with a record of every change of their connection indicator. No jest in here.
 */

export type PageRole = 'member' | 'director' | 'wall';

export interface StatusChange {
  at: number;
  status: string;
}

export interface WatchedPage {
  role: PageRole;
  context: BrowserContext;
  page: Page;
  /** The connection indicator's data-status, each time it changed (Date.now() on arrival). */
  statuses: StatusChange[];
  errors: string[];
}

/**
 * Installed before any page script: reports each change of the connection indicator's status.
 * A string, not a function: tsx (the benches) would wrap a function's source in helpers the
 * page does not have.
 */
const REPORT_CONNECTION = `(() => {
  let last = null;
  const check = () => {
    const el = document.querySelector('[data-testid="connection"]');
    const status = (el && el.getAttribute('data-status')) || 'none';
    if (status === last) return;
    last = status;
    void window.__crisisConnection(status);
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})();`;

export async function openWatchedPage(browser: Browser, baseUrl: string, role: PageRole, email: string, password: string, incidentId: string): Promise<WatchedPage> {
  const w = await openContext(browser);
  const watched: WatchedPage = { role, context: w.context, page: w.page, statuses: [], errors: w.pageErrors };
  await w.page.exposeFunction('__crisisConnection', (status: string) => {
    watched.statuses.push({ at: Date.now(), status });
  });
  await w.context.addInitScript(REPORT_CONNECTION);
  await w.page.goto(baseUrl);
  await w.page.getByTestId('login-page').waitFor();
  await loginThroughPage(w.page, email, password);
  await w.page.getByTestId('me').waitFor();
  await openRoom(w.page, baseUrl, incidentId, role === 'wall' ? 'management' : 'log');
  return watched;
}

export function currentStatus(p: WatchedPage): string {
  return p.statuses[p.statuses.length - 1]?.status ?? 'none';
}

/**
 * Spans during which the page was not live, after it was first live: [from, to) pairs, the last
 * one open (to = null) if it is not live now.
 */
export function offlineSpans(p: WatchedPage): Array<{ from: number; to: number | null }> {
  const spans: Array<{ from: number; to: number | null }> = [];
  let wasLive = false;
  let since: number | null = null;
  for (const s of p.statuses) {
    if (s.status === 'live') {
      if (since !== null) spans.push({ from: since, to: s.at });
      since = null;
      wasLive = true;
    } else if (wasLive && since === null) {
      since = s.at;
    }
  }
  if (since !== null) spans.push({ from: since, to: null });
  return spans;
}

/** What a page shows of the log: its entry count, and the ids of the rows it has drawn (a virtual list draws a window). */
export async function pageLog(p: WatchedPage): Promise<{ total: number; ids: string[]; texts: string[] }> {
  // A string for the same reason as REPORT_CONNECTION.
  return p.page.evaluate(`(() => {
    const count = document.querySelector('[data-testid="log-count"]');
    return {
      total: Number((count && count.getAttribute('data-total')) || -1),
      ids: Array.from(document.querySelectorAll('[data-testid="log-entry"]'), (r) => r.getAttribute('data-id') || ''),
      texts: Array.from(document.querySelectorAll('[data-testid="mgmt-alert"] .text'), (e) => e.textContent || ''),
    };
  })()`) as Promise<{ total: number; ids: string[]; texts: string[] }>;
}
