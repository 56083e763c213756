import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigSchema, type Config } from '../../../server/config';
import { type RunningServer, type ServerOverrides, startServer } from '../../../server/createServer';
import { CrisisClient } from '../../../client/sdk/crisisClient';

/**
 * One real server (port 0, SQLite in a temp folder) shared by the tests of a file, and clients
 * on it: the scripted incident is played once and read by several tests. Everything created is
 * registered for teardown at creation and released in afterAll, in reverse order.
 */
export interface Suite {
  server: RunningServer;
  dataDir: string;
  client(name: string): CrisisClient;
}

export function suiteServer(config: Partial<Config> = {}, overrides: ServerOverrides = {}): () => Suite {
  const cleanups: Array<() => Promise<void> | void> = [];
  let suite: Suite | null = null;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-timeline-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer(ConfigSchema.parse({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', checkpointIntervalSeconds: 0, ...config }), overrides);
    cleanups.push(() => server.close());
    suite = {
      server,
      dataDir,
      client: (name) => {
        const c = new CrisisClient({ url: server.url, name, socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
        cleanups.push(() => c.close());
        return c;
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
