import net from 'node:net';
import { SqliteAccountStore } from '../../server/auth/sqlite/sqliteAccountStore';
import { startServer } from '../../server/createServer';
import type { RunningServer } from '../../server/createServer';
import { adminToken, api, createUser, setRole, testUser } from '../helpers/accounts';
import { connectClient, createIncident, onTeardown, startTestServer, testConfig, waitFor } from '../helpers/testServer';
import { collectRejections, getIncidentState, sessionChanges, statusChanges } from '../helpers/sessions';
import { CrisisClient } from '../../client/sdk/crisisClient';

/** A server on the same port and data folder as `previous` (stopped first), as after a restart. */
async function restart(previous: RunningServer): Promise<RunningServer> {
  const server = await startServer(testConfig({ port: previous.port, dataDir: dataDirs.get(previous)! }));
  onTeardown(() => server.close());
  return server;
}

const dataDirs = new Map<RunningServer, string>();

async function firstServer(): Promise<RunningServer> {
  const config = testConfig();
  const server = await startTestServer({ dataDir: config.dataDir });
  dataDirs.set(server, config.dataDir);
  return server;
}

function statuses(client: CrisisClient): string[] {
  const seen: string[] = [];
  client.onStatus((s) => seen.push(s));
  return seen;
}

describe.each([
  ['drained gracefully (SIGTERM path)', (s: RunningServer) => s.drain(4_000)],
  ['closed without a word', (s: RunningServer) => s.close()],
])('a server %s and started again on the same port and data', (_label, stop) => {
  test('clients reconnect by themselves, their documents resync, and edits made while it was down land everywhere', async () => {
    const first = await firstServer();
    const id = await createIncident(first.url);
    const clientA = connectClient(first.url, 'Alice');
    const clientB = connectClient(first.url, 'Bob');
    const [a, b] = await Promise.all([clientA.openIncident(id), clientB.openIncident(id)]);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    const rejections = collectRejections(a, b);
    a.appendLog({ text: 'Avant l’arrêt' });
    await a.whenAcknowledged();
    await waitFor(() => b.log.length === 1, sessionChanges(b), 'b sees the first entry');
    const seenA = statuses(clientA);

    await stop(first);
    await waitFor(() => clientA.status === 'reconnecting' && clientB.status === 'reconnecting', statusChanges(clientA, clientB), 'both clients reconnecting');
    // Written while no server runs: kept, and sent when it is back.
    const offlineA = a.appendLog({ text: 'Écrit pendant l’arrêt par Alice' });
    const offlineTask = b.createTask({ title: 'Rappeler le standard' });

    const second = await restart(first);
    await waitFor(() => clientA.status === 'live' && clientB.status === 'live', statusChanges(clientA, clientB), 'both clients live again');
    await Promise.all([a.whenAcknowledged(), b.whenAcknowledged()]);
    await waitFor(() => b.log.entries().some((e) => e.id === offlineA.id) && a.tasks.get(offlineTask.id) !== null, sessionChanges(a, b), 'offline edits crossed');
    // Written after the return: live as before.
    const after = b.appendLog({ text: 'Après le redémarrage' });
    await waitFor(() => a.log.entries().some((e) => e.id === after.id), sessionChanges(a), 'a live edit after the restart');

    const state = await getIncidentState(second.url, id);
    expect(state.log.map((e) => e.text)).toEqual(['Avant l’arrêt', 'Écrit pendant l’arrêt par Alice', 'Après le redémarrage']);
    expect(state.tasks.map((t) => t.title)).toEqual(['Rappeler le standard']);
    expect(rejections).toEqual([]);
    // Never "offline" (that is for a disconnect chosen here), never ended.
    expect(seenA).not.toContain('offline');
    expect(seenA).not.toContain('ended');
    expect(clientA.endReason).toBeNull();
    expect(clientA.lastContact).not.toBeNull();
  });
});

describe('an end explained by the server is final', () => {
  test('a client whose API token is revoked is told TOKEN_REVOKED and does not reconnect', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    const client = connectClient(server.url, 'Carla');
    const session = await client.openIncident(id);
    await session.whenSynced();
    const carla = await testUser(server.url, 'Carla');
    const tokens = await api<{ tokens: Array<{ id: string; name: string }> }>(server.url, '/api/auth/tokens', { token: carla.token });
    const tokenId = tokens.body.tokens[0]!.id;
    const ends: string[] = [];
    client.onEnd((e) => ends.push(e.code));
    expect((await api(server.url, `/api/auth/tokens/${tokenId}`, { method: 'DELETE', token: carla.token })).status).toBe(204);
    await waitFor(() => client.status === 'ended' && !client.socket.connected, statusChanges(client), 'client ended');
    expect(ends).toEqual(['TOKEN_REVOKED']);
    expect(client.endReason).toMatchObject({ code: 'TOKEN_REVOKED' });
    // Nothing will try again: the socket is no longer active and its manager does not reconnect.
    expect(client.socket.active).toBe(false);
    client.goOnline();
    expect(client.socket.active).toBe(false);
    expect(client.status).toBe('ended');
  });

  test('a client of an account disabled by an administrator is told ACCOUNT_DISABLED and does not reconnect', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    const client = connectClient(server.url, 'Denis');
    await (await client.openIncident(id)).whenSynced();
    const denis = await testUser(server.url, 'Denis');
    expect((await api(server.url, `/api/users/${denis.id}`, { method: 'PATCH', token: await adminToken(server.url), body: { disabled: true } })).status).toBe(200);
    await waitFor(() => client.status === 'ended', statusChanges(client), 'client ended');
    expect(client.endReason).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    expect(client.socket.active).toBe(false);
  });
});

/** Sends one raw HTTP request on an already open TCP connection and resolves with the status line and body. */
function requestOn(socket: net.Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.includes('\r\n\r\n') && data.includes('}')) resolve(data);
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(data));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

test('a draining server takes no new connection and answers /healthz 503 "draining" on those still open', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const client = connectClient(server.url, 'Eve');
  await (await client.openIncident(id)).whenSynced();
  // A balancer's kept-alive connection, opened before the drain.
  const kept = net.connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve) => kept.once('connect', () => resolve()));
  onTeardown(() => void kept.destroy());
  const drained = server.drain(4_000);
  const reply = await requestOn(kept, '/healthz');
  expect(reply).toMatch(/^HTTP\/1\.1 503/);
  expect(reply).toContain('"status":"draining"');
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  await drained;
});

test('a handshake refused because the accounts could not be read ("not now") is retried, not taken for a logout', async () => {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const client = connectClient(server.url, 'Fanny');
  const session = await client.openIncident(id);
  await session.whenSynced();
  const refusals: unknown[] = [];
  client.socket.on('connect_error', (err: Error & { data?: unknown }) => refusals.push(err.data));
  const seen = statuses(client);
  // The next credential lookup fails as if the database were away.
  const lookup = jest.spyOn(SqliteAccountStore.prototype, 'getTokenByHash').mockRejectedValueOnce(new Error('database unreachable'));
  onTeardown(() => lookup.mockRestore());
  // The connection drops (network): socket.io reconnects, the handshake is refused once, then accepted.
  client.socket.io.engine.close();
  await waitFor(() => seen.includes('reconnecting') && client.status === 'live', statusChanges(client), 'live again');
  expect(refusals).toEqual([expect.objectContaining({ code: 'STORAGE_UNAVAILABLE' })]);
  expect(seen).not.toContain('ended');
  expect(client.endReason).toBeNull();
  session.appendLog({ text: 'Après le refus passager' });
  await session.whenAcknowledged();
});

test('a browser session that expires is told SESSION_EXPIRED at the next re-check and does not reconnect', async () => {
  const server = await startTestServer({ authRecheckSeconds: 0.2 });
  const id = await createIncident(server.url);
  const gil = await createUser(server.url, 'Gil');
  expect((await setRole(server.url, id, gil.id, 'member')).status).toBe(200);
  const ana = await createUser(server.url, 'Ana');
  expect((await setRole(server.url, id, ana.id, 'member')).status).toBe(200);
  // Authenticated by the session cookie, as a browser's socket is: Ana, and two tabs of Gil's.
  const open = async (user: typeof gil) => {
    const client = new CrisisClient({ url: server.url, name: user.name, socket: { extraHeaders: { cookie: user.cookie }, reconnectionDelay: 50, reconnectionDelayMax: 200 } });
    onTeardown(() => client.close());
    await (await client.openIncident(id)).whenSynced();
    return client;
  };
  // Ana's socket first: each pass checks it before Gil's, so a verdict wrongly shared between
  // credentials would keep Gil's sockets open (and fail the wait below).
  const other = await open(ana);
  const [tab1, tab2] = [await open(gil), await open(gil)];
  const db = (server.store as unknown as { sharedConnection(): import('better-sqlite3').Database }).sharedConnection();
  db.prepare('UPDATE sessions SET expires_at = 1 WHERE user_id = ?').run(gil.id);
  // A re-check pass asks once per credential: both of Gil's sockets end on the one answer.
  for (const client of [tab1, tab2]) {
    await waitFor(() => client.status === 'ended', statusChanges(client), 'client ended');
    expect(client.endReason).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(client.socket.active).toBe(false);
  }
  expect(other.status).not.toBe('ended');
});
