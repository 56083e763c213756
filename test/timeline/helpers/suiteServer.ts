import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigSchema, type Config } from '../../../server/config';
import { type RunningServer, type ServerOverrides, startServer } from '../../../server/createServer';
import { CrisisClient } from '../../../client/sdk/crisisClient';
import { TEST_ADMIN, adminToken, forgetWorld, testUser } from '../../helpers/accounts';

/**
 * One real server (port 0, SQLite in a temp folder) shared by the tests of a file, and clients
 * on it: the scripted incident is played once and read by several tests. Everything created is
 * registered for teardown at creation and released in afterAll, in reverse order.
 *
 * Accounts are the ones of test/helpers/accounts.ts: the server starts with the test
 * administrator, `client(name)` logs in as the helper user of that name, and `fetch` calls the
 * REST API with the administrator's API token (or a helper user's, with `as`).
 */
export interface Suite {
  server: RunningServer;
  dataDir: string;
  client(name: string): CrisisClient;
  /** An authenticated REST call: `path` under the server's URL, as the administrator unless `as` names a helper user. */
  fetch(path: string, init?: RequestInit & { as?: string }): Promise<Response>;
}

export function suiteServer(config: Partial<Config> = {}, overrides: ServerOverrides = {}): () => Suite {
  const cleanups: Array<() => Promise<void> | void> = [];
  let suite: Suite | null = null;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-timeline-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer(
      ConfigSchema.parse({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', checkpointIntervalSeconds: 0, adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password, ...config }),
      overrides,
    );
    cleanups.push(() => {
      forgetWorld(server.url);
      return server.close();
    });
    suite = {
      server,
      dataDir,
      client: (name) => {
        const c = new CrisisClient({ url: server.url, name, token: () => testUser(server.url, name).then((u) => u.token), socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
        cleanups.push(() => c.close());
        return c;
      },
      fetch: async (p, { as, ...init } = {}) => {
        const token = as === undefined ? await adminToken(server.url) : (await testUser(server.url, as)).token;
        const headers = new Headers(init.headers);
        headers.set('authorization', `Bearer ${token}`);
        return fetch(`${server.url}${p}`, { ...init, headers });
      },
    };
  });
  afterAll(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });
  return () => {
    if (!suite) throw new Error('suite server not started (use it inside tests)');
    return suite;
  };
}
