import { api, adminUser, createIncidentAsAdmin, login, setRole, TEST_ADMIN, TEST_PASSWORD, cookieOf } from '../helpers/accounts';
import { startTestServer } from '../helpers/testServer';
import { planNameKeys } from '../../server/storage/migrations/nameKeyMigration';

/**
 * Issue 13, item 3: people are unambiguous. Display names are unique in the deployment without
 * regard to case or accents; the administrator names people at invitation and the invitee
 * cannot override it; a user renames themselves under the same rule; exports print each author
 * with the start of their user id.
 */

const DIRECTOR = 'Dr Anne Martin';
const IMPERSONATIONS = [DIRECTOR, 'dr anne martin', 'DR ANNE MARTIN', 'Dr Anne Mártin', 'Dr  Anne  Martin', 'Ｄｒ Anne Martin'];

interface UserList {
  users: Array<{ id: string; displayName: string; email: string }>;
}

async function users(url: string, token: string): Promise<UserList['users']> {
  const reply = await api<UserList>(url, '/api/users', { token });
  expect(reply.status).toBe(200);
  return reply.body.users;
}

async function invite(url: string, token: string, email: string, displayName?: string) {
  return api<{ token: string; error?: { code: string } }>(url, '/api/invites', { token, body: { email, ...(displayName === undefined ? {} : { displayName }) } });
}

describe('display names are unique and set by the administrator (issue 13 item 3)', () => {
  test('ADMIN_NAME names the first administrator; nobody can be invited under that name, whatever the case or accents (NAME_TAKEN), and nothing is created', async () => {
    const server = await startTestServer({ adminName: DIRECTOR });
    const admin = await adminUser(server.url);
    expect(admin.name).toBe(DIRECTOR);
    const before = await users(server.url, admin.token);
    for (const [i, name] of IMPERSONATIONS.entries()) {
      const reply = await invite(server.url, admin.token, `impostor${i}@crisis.test`, name);
      expect({ name, status: reply.status, code: reply.body.error?.code }).toEqual({ name, status: 409, code: 'NAME_TAKEN' });
    }
    expect(await users(server.url, admin.token)).toEqual(before);
  });

  test('the invitee can neither override the name the administrator chose nor take one in use; the invitation survives the refusal', async () => {
    const server = await startTestServer({ adminName: DIRECTOR });
    const url = server.url;
    const admin = await adminUser(url);
    const before = await users(url, admin.token);

    // Named by the administrator: the invitee's own choice is refused.
    const named = await invite(url, admin.token, 'mallory@crisis.test', 'Mallory Dupont');
    expect(named.status).toBe(201);
    for (const name of IMPERSONATIONS) {
      const reply = await api<{ error: { code: string } }>(url, '/api/invites/accept', { body: { token: named.body.token, password: TEST_PASSWORD, displayName: name } });
      expect({ name, status: reply.status, code: reply.body.error.code }).toEqual({ name, status: 403, code: 'FORBIDDEN' });
    }
    // Not named: the invitee may choose, but not a name in use.
    const unnamed = await invite(url, admin.token, 'eve@crisis.test');
    expect(unnamed.status).toBe(201);
    for (const name of IMPERSONATIONS) {
      const reply = await api<{ error: { code: string } }>(url, '/api/invites/accept', { body: { token: unnamed.body.token, password: TEST_PASSWORD, displayName: name } });
      expect({ name, status: reply.status, code: reply.body.error.code }).toEqual({ name, status: 409, code: 'NAME_TAKEN' });
    }
    expect(await users(url, admin.token)).toEqual(before);

    // Both links still work, under a name of the administrator's or a free one.
    const mallory = await api<{ user: { displayName: string } }>(url, '/api/invites/accept', { body: { token: named.body.token, password: TEST_PASSWORD } });
    expect(mallory).toMatchObject({ status: 200, body: { user: { displayName: 'Mallory Dupont' } } });
    const eve = await api<{ user: { displayName: string } }>(url, '/api/invites/accept', { body: { token: unnamed.body.token, password: TEST_PASSWORD, displayName: 'Ève Durand' } });
    expect(eve).toMatchObject({ status: 200, body: { user: { displayName: 'Ève Durand' } } });
  });

  test('a user renames themselves under the same rule (PUT /api/auth/me); a refused rename changes nothing', async () => {
    const server = await startTestServer({ adminName: DIRECTOR });
    const url = server.url;
    const admin = await adminUser(url);
    const named = await invite(url, admin.token, 'mallory@crisis.test', 'Mallory Dupont');
    const accepted = await api(url, '/api/invites/accept', { body: { token: named.body.token, password: TEST_PASSWORD } });
    const cookie = cookieOf(accepted);
    const before = await users(url, admin.token);
    for (const name of IMPERSONATIONS) {
      const reply = await api<{ error: { code: string } }>(url, '/api/auth/me', { method: 'PUT', cookie, body: { displayName: name } });
      expect({ name, status: reply.status, code: reply.body.error.code }).toEqual({ name, status: 409, code: 'NAME_TAKEN' });
    }
    expect(await users(url, admin.token)).toEqual(before);
    const renamed = await api<{ user: { displayName: string } }>(url, '/api/auth/me', { method: 'PUT', cookie, body: { displayName: 'Mallory Dupont-Léger' } });
    expect(renamed).toMatchObject({ status: 200, body: { user: { displayName: 'Mallory Dupont-Léger' } } });
    // The director may take another wording of their own name.
    const adminCookie = await login(url, TEST_ADMIN.email, TEST_ADMIN.password);
    const own = await api<{ user: { displayName: string } }>(url, '/api/auth/me', { method: 'PUT', cookie: adminCookie, body: { displayName: 'Dr Anne MARTIN' } });
    expect(own).toMatchObject({ status: 200, body: { user: { displayName: 'Dr Anne MARTIN' } } });
  });

  test('exports print each author with the start of their user id, and history follows the person across a rename', async () => {
    const server = await startTestServer({ adminName: DIRECTOR });
    const url = server.url;
    const admin = await adminUser(url);
    const id = await createIncidentAsAdmin(url, 'Rançongiciel');
    const named = await invite(url, admin.token, 'anna@crisis.test', 'Anna Martin');
    const accepted = await api<{ user: { id: string } }>(url, '/api/invites/accept', { body: { token: named.body.token, password: TEST_PASSWORD } });
    const anna = accepted.body.user.id;
    const cookie = cookieOf(accepted);
    expect((await setRole(url, id, anna, 'member')).status).toBe(200);
    expect((await api(url, `/api/incidents/${id}/log`, { cookie, body: { text: 'Messagerie coupée' } })).status).toBe(201);
    expect((await api(url, `/api/incidents/${id}/log`, { token: admin.token, body: { text: 'Plan blanc déclenché' } })).status).toBe(201);

    const exported = async (format: string) => {
      const res = await fetch(`${url}/api/incidents/${id}/timeline?format=${format}`, { headers: { authorization: `Bearer ${admin.token}` } });
      expect(res.status).toBe(200);
      return res.text();
    };
    const short = (userId: string) => userId.slice(0, 8);
    for (const format of ['md', 'html']) {
      const text = await exported(format);
      expect(text).toContain(`Anna Martin (${short(anna)})`);
      expect(text).toContain(`${DIRECTOR} (${short(admin.id)})`);
    }
    const csv = await exported('csv');
    const lines = csv.split(/\r?\n/).filter((l) => !l.startsWith('#') && l.length > 0);
    const header = lines[0]!.split(';');
    const authorId = header.indexOf('author_id');
    expect(authorId).toBeGreaterThan(-1);
    const messagerie = lines.find((l) => l.includes('Messagerie coupée'))!.split(';');
    expect(messagerie[authorId]).toBe(anna);

    // Anna renames herself: the export names her by her current name, with the same id.
    expect((await api(url, '/api/auth/me', { method: 'PUT', cookie, body: { displayName: 'Anna Martin-Roux' } })).status).toBe(200);
    const after = await exported('md');
    expect(after).toContain(`Anna Martin-Roux (${short(anna)})`);
  });

  test('migration 4 keeps the oldest holder of a name and renames later look-alikes with their id', () => {
    const plan = planNameKeys([
      { id: 'aaaaaaaa1111', displayName: 'Dr Anne Martin' },
      { id: 'bbbbbbbb2222', displayName: 'dr anne mártin' },
      { id: 'cccccccc3333', displayName: 'Bob' },
    ]);
    expect(plan.map((p) => p.displayName)).toEqual(['Dr Anne Martin', 'dr anne mártin (bbbbbbbb)', 'Bob']);
    expect(new Set(plan.map((p) => p.key)).size).toBe(3);
  });
});
