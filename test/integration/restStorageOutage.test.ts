import { startTestServer } from '../helpers/testServer';
import { TEST_ADMIN, adminToken, api, createIncidentAsAdmin, login, type ApiReply } from '../helpers/accounts';
import { describeWithDisposable, startDisposablePostgres } from '../helpers/disposableServices';
import type { IncidentState } from '../../shared/model/incident';
import type { WireError } from '../../shared/protocol/errors';

/**
 * REST while the database is away: a node on a PostgreSQL of the test's own (stopped and
 * started at will; the machine's is never touched) answers 503 with Retry-After and
 * STORAGE_UNAVAILABLE on every route, not 500, and what it refused never shows up later.
 */

function expectStorageUnavailable(reply: ApiReply, what: string): void {
  const body = reply.body as { error?: WireError } | null;
  expect({ what, status: reply.status, code: body?.error?.code }).toEqual({ what, status: 503, code: 'STORAGE_UNAVAILABLE' });
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|stack|at /);
}

describeWithDisposable(['PostgreSQL'], 'REST while PostgreSQL is unreachable', () => {
  it('every route answers 503 + Retry-After + STORAGE_UNAVAILABLE; once PostgreSQL is back, what was acknowledged is there and what was refused is not', async () => {
    const pg = await startDisposablePostgres();
    const server = await startTestServer({ databaseUrl: pg.url });
    const url = server.url;
    const id = await createIncidentAsAdmin(url, 'Panne du journal');
    const token = await adminToken(url);
    const cookie = await login(url, TEST_ADMIN.email, TEST_ADMIN.password);
    const before = await api<{ id: string }>(url, `/api/incidents/${id}/log`, { token, body: { text: 'avant la panne' } });
    expect(before.status).toBe(201);

    await pg.stop();
    const refusedText = 'pendant la panne';
    const replies: Array<[string, ApiReply]> = [
      ['incident list', await api(url, '/api/incidents', { token })],
      ['incident state', await api(url, `/api/incidents/${id}`, { token })],
      ['incident state at a time', await api(url, `/api/incidents/${id}?at=${encodeURIComponent(new Date().toISOString())}`, { token })],
      ['log entry over REST', await api(url, `/api/incidents/${id}/log`, { token, body: { text: refusedText } })],
      ['new incident', await api(url, '/api/incidents', { token, body: { title: 'Créé pendant la panne', detectedAt: new Date().toISOString() } })],
      ['members', await api(url, `/api/incidents/${id}/members`, { token })],
      ['who am I (session cookie)', await api(url, '/api/auth/me', { cookie })],
      ['login', await api(url, '/api/auth/login', { body: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } })],
      ['setup status', await api(url, '/api/auth/status')],
    ];
    for (const [what, reply] of replies) expectStorageUnavailable(reply, what);
    // The node itself is still up and says so.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await pg.start();
    const loggedIn = await api(url, '/api/auth/login', { body: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } });
    expect(loggedIn.status).toBe(200);
    const list = await api<{ incidents: Array<{ id: string; title: string }> }>(url, '/api/incidents', { token });
    expect(list.status).toBe(200);
    expect(list.body.incidents.map((i) => i.title)).toEqual(['Panne du journal']);
    const after = await api<{ id: string }>(url, `/api/incidents/${id}/log`, { token, body: { text: 'après la panne' } });
    expect(after.status).toBe(201);

    // What the journal holds, read by a second node that loads it from PostgreSQL afresh.
    const fresh = await startTestServer({ databaseUrl: pg.url });
    const state = await api<IncidentState>(fresh.url, `/api/incidents/${id}`, { token: await adminToken(fresh.url) });
    expect(state.status).toBe(200);
    expect(state.body.log.map((e) => e.text)).toEqual(['avant la panne', 'après la panne']);
    expect(state.body.log.map((e) => e.id)).toEqual([before.body.id, after.body.id]);
  });
});
