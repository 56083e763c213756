import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { RunningServer } from '../../server/createServer';
import { totpCode, totpStep } from '../../server/auth/totp';
import { TEST_PASSWORD, adminToken, api, createUser, linkWorlds, login, setRole, type ApiReply } from '../helpers/accounts';
import { createIncident, onTeardown, startTestServer, tempDir } from '../helpers/testServer';
import { describeWithService, postgresUrl } from '../helpers/services';
import { freezeClock } from '../helpers/fakeClock';
import { documents } from './securityHelpers';

/**
 * Accounts (issue 13, item 6, and `GET /api/users` of item 4): throttling that holds under
 * concurrency on one node and across nodes, disabling that revokes for good, the user list
 * for administrators only, TOTP secrets encrypted at rest, database files 0600.
 */
jest.setTimeout(120_000);

type ErrorBody = { error: { code: string } };

/** Free failures per account before the first block (then blocks of 2 s, 4 s, 8 s …). */
const FREE_ACCOUNT_FAILURES = 5;

function sqliteOf(server: RunningServer): Database.Database {
  return (server.store as unknown as { sharedConnection(): Database.Database }).sharedConnection();
}

/** The sum of a counter over the nodes' /metrics (administrators only), or null when a node lacks it. */
async function counterSum(urls: string[], name: string): Promise<number | null> {
  let sum = 0;
  for (const url of urls) {
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${await adminToken(url)}` } });
    expect(res.status).toBe(200);
    const line = (await res.text()).split('\n').find((l) => l.startsWith(`${name} `));
    if (line === undefined) return null;
    sum += Number(line.split(' ')[1]);
  }
  return sum;
}

/**
 * `count` wrong-password logins on one account, all in flight together, spread over `urls`, at
 * one instant: the servers (in this process) read a clock that stands still meanwhile, so no
 * block runs out during the burst and exactly the free failures may be checked.
 */
async function concurrentGuesses(urls: string[], email: string, count: number): Promise<Array<ApiReply<ErrorBody>>> {
  const clock = freezeClock();
  try {
    return await Promise.all(Array.from({ length: count }, (_, i) => api<ErrorBody>(urls[i % urls.length]!, '/api/auth/login', { body: { email, password: `wrong guess number ${i}` } })));
  } finally {
    clock.restore();
  }
}

function expectThrottled(replies: Array<ApiReply<ErrorBody>>): number {
  // A wrong password that was checked answers 401; one refused by the throttle 429, unchecked.
  const outcomes = replies.map((r) => `${r.status} ${r.body.error.code}`);
  expect(new Set(outcomes)).toEqual(new Set(['401 UNAUTHENTICATED', '429 RATE_LIMITED']));
  for (const r of replies) expect(r.headers.get('set-cookie')).toBeNull();
  const checked = replies.filter((r) => r.status === 401).length;
  expect(checked).toBe(FREE_ACCOUNT_FAILURES);
  return checked;
}

describe('login throttling holds under concurrency (RATE_LIMITED)', () => {
  test('one node: 300 concurrent wrong passwords on one account: exactly the free failures get a password check', async () => {
    const server = await startTestServer();
    const alice = await createUser(server.url, 'Alice');
    const id = await createIncident(server.url);
    const before = await documents({ server, id });
    const checksBefore = await counterSum([server.url], 'crisis_password_checks_total');

    const checked = expectThrottled(await concurrentGuesses([server.url], alice.email, 300));
    // Every check is counted, and each one was a refused wrong password.
    expect(checksBefore).not.toBeNull();
    expect((await counterSum([server.url], 'crisis_password_checks_total'))! - checksBefore!).toBe(checked);
    const audit = await api<{ events: Array<{ action: string; detail: { email?: string } | null }> }>(server.url, '/api/audit?limit=1000', { token: await adminToken(server.url) });
    expect(audit.body.events.filter((e) => e.action === 'login.failed' && e.detail?.email === alice.email)).toHaveLength(checked);
    expect(await documents({ server, id })).toEqual(before);
  });
});

describeWithService('PostgreSQL', 'login throttling across nodes (RATE_LIMITED)', () => {
  test('two nodes on one database: 300 concurrent guesses split over both: exactly the free failures get a password check, in all', async () => {
    const schema = `t_throttle_${randomBytes(5).toString('hex')}`;
    // Registered first, so it runs last: after both nodes closed their pools.
    onTeardown(async () => {
      const client = new Client({ connectionString: postgresUrl() });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    });
    const config = { databaseUrl: postgresUrl(), databaseSchema: schema };
    const a = await startTestServer(config);
    const b = await startTestServer(config);
    linkWorlds(a.url, b.url);
    const alice = await createUser(a.url, 'Alice');
    const urls = [a.url, b.url];
    const checksBefore = await counterSum(urls, 'crisis_password_checks_total');

    const checked = expectThrottled(await concurrentGuesses(urls, alice.email, 300));
    expect(checksBefore).not.toBeNull();
    expect((await counterSum(urls, 'crisis_password_checks_total'))! - checksBefore!).toBe(checked);
  });
});

describe('disabling an account revokes its credentials for good (UNAUTHENTICATED)', () => {
  test('re-enabling a disabled account does not revive its API tokens or sessions', async () => {
    const server = await startTestServer();
    const url = server.url;
    const id = await createIncident(url);
    const alice = await createUser(url, 'Alice');
    expect((await setRole(url, id, alice.id, 'member')).status).toBe(200);
    const cookie = await login(url, alice.email, TEST_PASSWORD);
    expect((await api(url, '/api/auth/me', { token: alice.token })).status).toBe(200);
    const admin = await adminToken(url);

    expect((await api(url, `/api/users/${alice.id}`, { method: 'PATCH', token: admin, body: { disabled: true } })).status).toBe(200);
    expect((await api(url, `/api/users/${alice.id}`, { method: 'PATCH', token: admin, body: { disabled: false } })).status).toBe(200);
    const before = await documents({ server, id });

    for (const credentials of [{ token: alice.token }, { cookie }, { cookie: alice.cookie }]) {
      const me = await api<ErrorBody>(url, '/api/auth/me', credentials);
      expect([me.status, me.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      const post = await api<ErrorBody>(url, `/api/incidents/${id}/log`, { ...credentials, body: { text: 'jeton ressuscité' } });
      expect([post.status, post.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    expect(await documents({ server, id })).toEqual(before);
    // The token is shown revoked; the account itself works again with its password.
    const fresh = await login(url, alice.email, TEST_PASSWORD);
    const tokens = await api<{ tokens: Array<{ name: string; revokedAt: string | null }> }>(url, '/api/auth/tokens', { cookie: fresh });
    expect(tokens.body.tokens.length).toBeGreaterThan(0);
    for (const t of tokens.body.tokens) expect(t.revokedAt).not.toBeNull();
  });
});

describe('GET /api/users is for administrators (others: the members of their incidents)', () => {
  test('a user sees ids and names of the people of their incidents only; an administrator sees every account', async () => {
    const server = await startTestServer();
    const url = server.url;
    const id = await createIncident(url);
    const [alice, bob, nina] = await Promise.all(['Alice', 'Bob', 'Nina'].map((n) => createUser(url, n)));
    expect((await setRole(url, id, alice!.id, 'member')).status).toBe(200);
    expect((await setRole(url, id, bob!.id, 'observer')).status).toBe(200);
    const admin = await api<{ users: Array<Record<string, unknown>> }>(url, '/api/users', { token: await adminToken(url) });

    const seen = await api<{ users: Array<Record<string, unknown>> }>(url, '/api/users', { token: alice!.token });
    expect(seen.status).toBe(200);
    for (const u of seen.body.users) expect(Object.keys(u).sort()).toEqual(['displayName', 'id']);
    const adminId = admin.body.users.find((u) => u.admin === true)!.id;
    expect(seen.body.users.map((u) => u.id).sort()).toEqual([alice!.id, bob!.id, adminId].sort());
    expect(JSON.stringify(seen.body)).not.toContain('@');

    // Someone in no incident sees themself only.
    expect((await api<{ users: unknown[] }>(url, '/api/users', { token: nina!.token })).body.users).toEqual([{ id: nina!.id, displayName: 'Nina' }]);

    // The administrator still gets every account with its e-mail and flags.
    expect(admin.status).toBe(200);
    expect(admin.body.users.map((u) => u.id)).toEqual(expect.arrayContaining([alice!.id, bob!.id, nina!.id, adminId]));
    for (const u of admin.body.users) expect(Object.keys(u).sort()).toEqual(['admin', 'disabled', 'displayName', 'email', 'id', 'totpEnabled']);
  });
});

describe('TOTP secrets are encrypted at rest', () => {
  test('the stored column holds no clear secret; login with TOTP works; a clear secret of an older version is encrypted at start-up and still works', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({ dataDir });
    const alice = await createUser(first.url, 'Alice');
    const begin = await api<{ secret: string }>(first.url, '/api/auth/totp/setup', { method: 'POST', cookie: alice.cookie });
    expect(begin.status).toBe(200);
    const secret = begin.body.secret;
    const stored = () => (sqliteOf(first).prepare('SELECT totp_secret FROM users WHERE id = ?').get(alice.id) as { totp_secret: string }).totp_secret;
    expect(stored()).not.toContain(secret);
    expect(stored()).not.toContain(secret.toLowerCase());
    const step = totpStep(new Date());
    expect((await api(first.url, '/api/auth/totp/enable', { cookie: alice.cookie, body: { code: totpCode(secret, step - 1) } })).status).toBe(204);
    expect(stored()).not.toContain(secret);
    const noCode = await api<ErrorBody>(first.url, '/api/auth/login', { body: { email: alice.email, password: TEST_PASSWORD } });
    expect([noCode.status, noCode.body.error.code]).toEqual([401, 'TOTP_REQUIRED']);
    expect((await api(first.url, '/api/auth/login', { body: { email: alice.email, password: TEST_PASSWORD, totp: totpCode(secret, step) } })).status).toBe(200);
    // The key lives beside the database, readable by the server's user only.
    expect(fs.statSync(path.join(dataDir, 'totp-key')).mode & 0o777).toBe(0o600);

    // An account from before encryption: its secret in clear in the database.
    const legacy = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    sqliteOf(first).prepare('UPDATE users SET totp_secret = ?, totp_last_step = 0 WHERE id = ?').run(legacy, alice.id);
    await first.close();
    const second = await startTestServer({ dataDir });
    const after = (sqliteOf(second).prepare('SELECT totp_secret FROM users WHERE id = ?').get(alice.id) as { totp_secret: string }).totp_secret;
    expect(after).not.toContain(legacy);
    const wrong = await api<ErrorBody>(second.url, '/api/auth/login', { body: { email: alice.email, password: TEST_PASSWORD, totp: totpCode(secret, totpStep(new Date()) + 1) } });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'TOTP_REQUIRED']);
    expect((await api(second.url, '/api/auth/login', { body: { email: alice.email, password: TEST_PASSWORD, totp: totpCode(legacy, totpStep(new Date())) } })).status).toBe(200);
  });
});

describe('database files are readable by the server only', () => {
  test('the SQLite file and its -wal and -shm are created 0600, whatever the umask', async () => {
    const dataDir = tempDir();
    const old = process.umask(0o022);
    try {
      const server = await startTestServer({ dataDir });
      await createIncident(server.url);
      for (const suffix of ['', '-wal', '-shm']) {
        const file = path.join(dataDir, `crisis-cell.db${suffix}`);
        expect({ file: path.basename(file), mode: (fs.statSync(file).mode & 0o777).toString(8) }).toEqual({ file: path.basename(file), mode: '600' });
      }
    } finally {
      process.umask(old);
    }
  });

  test('a database file found readable by others is tightened at start', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'crisis-cell.db');
    new Database(file).close();
    fs.chmodSync(file, 0o644);
    await startTestServer({ dataDir });
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
  });
});
