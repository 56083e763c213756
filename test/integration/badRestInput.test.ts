import { createIncident, startTestServer } from '../helpers/testServer';
import { getIncidentState } from '../helpers/sessions';
import { adminToken, api } from '../helpers/accounts';
import type { RunningServer } from '../../server/createServer';
import { newId } from '../../shared/model/ids';
import { docName } from '../../shared/model/parts';
import type { ErrorCode } from '../../shared/protocol/errors';

/**
 * Bad REST requests get the documented status and error body (no stack, nothing of the server's
 * insides), and change nothing. The bad socket messages: badInput.test.ts.
 */

interface RestCtx {
  server: RunningServer;
  id: string;
}

async function restSetup(): Promise<RestCtx> {
  const server = await startTestServer();
  const id = await createIncident(server.url);
  const res = await api(server.url, `/api/incidents/${id}/log`, { token: await adminToken(server.url), body: { text: 'Première entrée', category: 'alert' } });
  expect(res.status).toBe(201);
  return { server, id };
}

async function restObserve({ server, id }: RestCtx) {
  const list = (await api<{ incidents: unknown[] }>(server.url, '/api/incidents', { token: await adminToken(server.url) })).body;
  const heads: Record<string, number> = {};
  for (const part of ['meta', 'log', 'tasks', 'decisions'] as const) heads[part] = await server.store.headSeq(docName(id, part));
  return { list, state: await getIncidentState(server.url, id), heads };
}

type RestCase = [label: string, status: number, code: ErrorCode, method: 'GET' | 'POST', path: (c: RestCtx) => string, body: string | undefined];

const json = (v: unknown) => JSON.stringify(v);

const restCases: RestCase[] = [
  ['create: body is not JSON', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents', '{"title":'],
  ['create: JSON null', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents', 'null'],
  ['create: an array', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents', '[{"title":"x"}]'],
  ['create: title missing', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents', json({ severity: 'high' })],
  ['create: blank title', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents', json({ title: '   ' })],
  ['create: extra field', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents', json({ title: 'Panne', admin: true })],
  ['create: wrong-typed severity', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents', json({ title: 'Panne', severity: 'apocalyptic' })],
  ['create: huge body', 413, 'PAYLOAD_TOO_LARGE', 'POST', () => '/api/incidents', json({ title: 'x'.repeat(300 * 1024) })],
  ['log: invalid category', 400, 'BAD_REQUEST', 'POST', (c) => `/api/incidents/${c.id}/log`, json({ text: 'x', category: 'rumour' })],
  ['log: empty text', 400, 'BAD_REQUEST', 'POST', (c) => `/api/incidents/${c.id}/log`, json({ text: '' })],
  ['log: blank text', 400, 'BAD_REQUEST', 'POST', (c) => `/api/incidents/${c.id}/log`, json({ text: '  \n ' })],
  ['log: text missing', 400, 'BAD_REQUEST', 'POST', (c) => `/api/incidents/${c.id}/log`, json({ category: 'alert' })],
  ['log: an author in the body (authorship comes from the credentials)', 400, 'BAD_REQUEST', 'POST', (c) => `/api/incidents/${c.id}/log`, json({ text: 'x', author: 'Bob' })],
  ['log: extra field', 400, 'BAD_REQUEST', 'POST', (c) => `/api/incidents/${c.id}/log`, json({ text: 'x', id: 'abcdefgh12345678' })],
  ['log: huge body', 413, 'PAYLOAD_TOO_LARGE', 'POST', (c) => `/api/incidents/${c.id}/log`, json({ text: 'x'.repeat(300 * 1024) })],
  ['log: unknown incident', 404, 'NOT_FOUND', 'POST', () => `/api/incidents/${newId()}/log`, json({ text: 'x' })],
  ['log: malformed incident id', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents/NOT-AN-ID/log', json({ text: 'x' })],
  ['log: too short an incident id', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents/abc/log', json({ text: 'x' })],
  ['read: unknown incident', 404, 'NOT_FOUND', 'GET', () => `/api/incidents/${newId()}`, undefined],
  ['read: malformed incident id', 400, 'BAD_REQUEST', 'GET', () => '/api/incidents/Robert%27);DROP', undefined],
  ['unknown API route', 404, 'NOT_FOUND', 'GET', () => '/api/secrets', undefined],
  ['log: incident id with broken percent-encoding', 400, 'BAD_REQUEST', 'POST', () => '/api/incidents/%E0%A4%A/log', json({ text: 'x' })],
  ['read: incident id with broken percent-encoding', 400, 'BAD_REQUEST', 'GET', () => '/api/incidents/%zz', undefined],
];

describe('bad REST requests get the documented status and error body, and change nothing', () => {
  test.each(restCases)('%s → %i %s', async (_label, status, code, method, path, body) => {
    const ctx = await restSetup();
    const before = await restObserve(ctx);
    const auth = { authorization: `Bearer ${await adminToken(ctx.server.url)}` };
    const res = await fetch(`${ctx.server.url}${path(ctx)}`, {
      method,
      headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    expect({ status: res.status, code: (JSON.parse(text) as { error?: { code?: unknown } }).error?.code }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const parsed = JSON.parse(text) as { error: Record<string, unknown> };
    expect(Object.keys(parsed)).toEqual(['error']);
    expect(typeof parsed.error.message).toBe('string');
    expect(Object.keys(parsed.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
    expect(text).not.toMatch(/\bat .+:\d+:\d+|"stack"|node_modules|\.ts:\d+/);
    expect(await restObserve(ctx)).toEqual(before);
  });
});
