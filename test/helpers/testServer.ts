import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigSchema, Config } from '../../server/config';
import { RunningServer, ServerOverrides, startServer } from '../../server/createServer';
import { CrisisClient } from '../../client/sdk/crisisClient';
import { TEST_ADMIN, createIncidentAsAdmin, forgetWorld, testUser } from './accounts';
import { within } from './poll';

/** A fresh data folder per test server, removed at teardown. */
export function tempDir(prefix = 'crisis-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return ConfigSchema.parse({ port: 0, host: '127.0.0.1', dataDir: tempDir(), logLevel: 'silent', roomIdleSeconds: 60, adminEmail: TEST_ADMIN.email, adminPassword: TEST_ADMIN.password, ...overrides });
}

const cleanups: Array<() => Promise<void> | void> = [];

/** Registers teardown at creation, so a failing test never leaves a server behind. */
export function onTeardown(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export async function startTestServer(config: Partial<Config> = {}, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const server = await startServer(testConfig(config), overrides);
  onTeardown(() => {
    forgetWorld(server.url);
    return server.close();
  });
  return server;
}

/**
 * A client logged in as the user `name` (made on first use, with an API token, and a member of
 * every incident made by createIncident on this server).
 */
export function connectClient(url: string, name: string): CrisisClient {
  const client = new CrisisClient({ url, name, token: () => testUser(url, name).then((u) => u.token), socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
  onTeardown(() => client.close());
  return client;
}

/** Resolves when `predicate` holds, checking after every change signalled by `subscribe`. */
export async function waitFor(predicate: () => boolean, subscribe: (notify: () => void) => () => void, label = 'condition', timeoutMs = 20_000): Promise<void> {
  if (predicate()) return;
  let off = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    off = subscribe(() => {
      if (predicate()) resolve();
    });
  });
  try {
    await within(held, timeoutMs, `timed out waiting for ${label}`);
  } finally {
    off();
  }
}

/** An incident created by the administrator (its director); every user of connectClient is a member. */
export async function createIncident(baseUrl: string, title = 'Cyberattaque CHU'): Promise<string> {
  return createIncidentAsAdmin(baseUrl, title);
}
