import type { Browser } from 'playwright-core';
import { onTeardown, startTestServer } from '../helpers/testServer';
import { TestUser, createUser, setRole, testUser } from '../helpers/accounts';
import type { RunningServer } from '../../server/createServer';
import { ContextOptions, Watched, browserSuite, closeSuiteBrowser, openContext, openSuiteBrowser, poll, signIn } from './harness';

/**
 * The room tests' shared setup (room.test.ts, roomOffline, roomSecurity, roomAccounts,
 * roomScreenshots): one built client and one Chromium per suite, test servers serving that
 * client with their real headers (helmet's strict CSP), and people on their own browser context.
 */

export interface Person extends Watched {
  user: TestUser;
  /** The browser's session cookie (`name=value`). */
  cookie: string;
}

export interface RoomKit {
  /** The built client's folder (for a server started with options of its own). */
  webRoot(): string;
  /** A test server serving the built client, with its real headers and accounts. */
  serve(options?: { dataDir?: string; port?: number }): Promise<RunningServer>;
  /** A browser context nobody is logged in to yet. */
  stranger(extra?: ContextOptions): Promise<Watched>;
  /** Someone on their own laptop, logged in as the helpers' user of that name (a member of every helper incident). */
  person(server: RunningServer, name: string, extra?: ContextOptions): Promise<Person>;
  /** A new account with a role in one incident (not a helper member of the others), logged in. */
  withRole(server: RunningServer, name: string, incidentId: string, role: 'director' | 'member' | 'observer', extra?: ContextOptions): Promise<Person>;
}

/** A browser suite (see harness.ts's browserSuite) whose body gets the room kit, valid inside its tests. */
export function roomSuite(name: string, body: (kit: RoomKit) => void): void {
  let webRoot = '';
  let browser: Browser;

  const stranger = async (extra: ContextOptions = {}): Promise<Watched> => {
    const w = await openContext(browser, extra);
    onTeardown(() => w.context.close().catch(() => undefined));
    return w;
  };
  const loggedIn = async (server: RunningServer, user: TestUser, extra: ContextOptions): Promise<Person> => {
    const w = await stranger(extra);
    const cookie = await signIn(w, server.url, user.email);
    return { ...w, user, cookie };
  };
  const kit: RoomKit = {
    webRoot: () => webRoot,
    serve: (options = {}) => startTestServer({ webRoot, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.port ? { port: options.port } : {}) }),
    stranger,
    person: async (server, name, extra = {}) => loggedIn(server, await testUser(server.url, name), extra),
    withRole: async (server, name, incidentId, role, extra = {}) => {
      const user = await createUser(server.url, name);
      expect((await setRole(server.url, incidentId, user.id, role)).status).toBe(200);
      return loggedIn(server, user, extra);
    },
  };

  browserSuite(name, () => {
    beforeAll(async () => {
      ({ webRoot, browser } = await openSuiteBrowser());
    });

    afterAll(() => closeSuiteBrowser({ webRoot, browser }));

    body(kit);
  });
}

/** Playwright-style polling for focus and counts, on top of jest's expect. */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeFocusedSoon(): Promise<R>;
      toHaveCount(n: number): Promise<R>;
    }
  }
}

expect.extend({
  async toBeFocusedSoon(locator: import('playwright-core').Locator) {
    const focused = await poll(() => locator.evaluate((el) => el === document.activeElement), (v) => v);
    return { pass: focused, message: () => `expected ${locator} to be focused` };
  },
  async toHaveCount(locator: import('playwright-core').Locator, n: number) {
    const count = await poll(() => locator.count(), (v) => v === n);
    return { pass: count === n, message: () => `expected ${n} elements for ${locator}, found ${count}` };
  },
});
