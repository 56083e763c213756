import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../shared/auth/schemas';
import type { IncidentRole } from '../../shared/auth/roles';

/**
 * Accounts for tests, made through the real REST API: the administrator the test server is
 * started with, users created by invitation (each with an API token for its sockets and REST
 * calls), memberships set by a director.
 *
 * The helpers of testServer.ts keep the old one-line style working: every user made by
 * `connectClient(url, name)` is a member of every incident made by `createIncident(url)` on
 * that server, whatever the order. Tests about permissions use `createUser` and `setRole`
 * directly, which stay out of that automatic membership.
 */
export const TEST_ADMIN = { email: 'admin@crisis.test', password: 'correct horse battery staple' } as const;
/** Every test user's password (long enough for the server's rule). */
export const TEST_PASSWORD = 'a long enough test passphrase';

export interface TestUser {
  id: string;
  name: string;
  email: string;
  /** API token: `Authorization: Bearer` for REST, `auth.token` for sockets. */
  token: string;
}

export interface ApiReply<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiOptions {
  method?: string;
  body?: unknown;
  token?: string;
  cookie?: string;
  /** Send the CSRF header (default: on for writes without a token). */
  csrf?: boolean;
  headers?: Record<string, string>;
}

/** One REST call; the reply's JSON body (or null). */
export async function api<T = unknown>(url: string, path: string, options: ApiOptions = {}): Promise<ApiReply<T>> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf ?? (method !== 'GET' && !options.token)) headers[CSRF_HEADER] = CSRF_HEADER_VALUE;
  const res = await fetch(`${url}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

function expectStatus(reply: ApiReply, status: number, what: string): void {
  if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/** The `name=value` part of a Set-Cookie header. */
export function cookieOf(reply: ApiReply): string {
  const set = reply.headers.get('set-cookie');
  if (!set) throw new Error('no Set-Cookie in the reply');
  return set.split(';')[0]!;
}

/** Logs in with a password; the session cookie. */
export async function login(url: string, email: string, password: string, totp?: string): Promise<string> {
  const reply = await api(url, '/api/auth/login', { body: { email, password, ...(totp ? { totp } : {}) } });
  expectStatus(reply, 200, `login ${email}`);
  return cookieOf(reply);
}

/** A new API token for whoever the cookie belongs to. */
export async function newToken(url: string, cookie: string, name = 'tests'): Promise<{ id: string; token: string }> {
  const reply = await api<{ id: string; token: string }>(url, '/api/auth/tokens', { cookie, body: { name } });
  expectStatus(reply, 201, 'create token');
  return reply.body;
}

interface World {
  admin: Promise<TestUser>;
  users: Map<string, Promise<TestUser>>;
  incidents: Set<string>;
}

const worlds = new Map<string, World>();

/** Forgets what the helpers made on a server (at its teardown; a server restarted on the same data keeps its accounts). */
export function forgetWorld(url: string): void {
  worlds.delete(url);
}

function world(url: string): World {
  let w = worlds.get(url);
  if (!w) {
    const admin = (async (): Promise<TestUser> => {
      const cookie = await login(url, TEST_ADMIN.email, TEST_ADMIN.password);
      const me = await api<{ user: { id: string; displayName: string } }>(url, '/api/auth/me', { cookie });
      const { token } = await newToken(url, cookie, 'test administrator');
      return { id: me.body.user.id, name: me.body.user.displayName, email: TEST_ADMIN.email, token };
    })();
    w = { admin, users: new Map(), incidents: new Set() };
    worlds.set(url, w);
    // A failed admin login must not poison later tests on the same address.
    admin.catch(() => worlds.delete(url));
  }
  return w;
}

/**
 * Nodes that share one database (a cluster on one PostgreSQL, or in-process nodes given one
 * store) share accounts: make the helpers treat them as one server, so `connectClient(urlB,
 * 'Alice')` is the same Alice, member of the incidents `createIncident(urlA)` made.
 */
export function linkWorlds(primary: string, ...others: string[]): void {
  const w = world(primary);
  for (const url of others) worlds.set(url, w);
}

/** The administrator's API token (director of every incident made by the helpers). */
export async function adminToken(url: string): Promise<string> {
  return (await world(url).admin).token;
}

export async function adminUser(url: string): Promise<TestUser> {
  return world(url).admin;
}

let counter = 0;

/** A new account named `name`, invited by the administrator, with an API token. Not added to any incident. */
export async function createUser(url: string, name: string, options: { admin?: boolean } = {}): Promise<TestUser & { cookie: string }> {
  const admin = await adminToken(url);
  const email = `user${++counter}-${Date.now().toString(36)}@crisis.test`;
  const invite = await api<{ token: string }>(url, '/api/invites', { token: admin, body: { email, displayName: name, admin: options.admin ?? false } });
  expectStatus(invite, 201, `invite ${name}`);
  const accepted = await api<{ user: { id: string } }>(url, '/api/invites/accept', { body: { token: invite.body.token, password: TEST_PASSWORD } });
  expectStatus(accepted, 200, `accept invitation of ${name}`);
  const cookie = cookieOf(accepted);
  const { token } = await newToken(url, cookie, `${name}'s test token`);
  return { id: accepted.body.user.id, name, email, token, cookie };
}

/** Gives `userId` a role in an incident, as the administrator (its director) or as `asToken`. */
export async function setRole(url: string, incidentId: string, userId: string, role: IncidentRole, asToken?: string): Promise<ApiReply> {
  return api(url, `/api/incidents/${incidentId}/members/${userId}`, { method: 'PUT', token: asToken ?? (await adminToken(url)), body: { role } });
}

/** The user of that name made by the helpers on this server (made on first use), member of every helper incident. */
export function testUser(url: string, name: string): Promise<TestUser> {
  const w = world(url);
  let user = w.users.get(name);
  if (!user) {
    user = (async () => {
      const created = await createUser(url, name);
      for (const id of [...w.incidents]) expectStatus(await setRole(url, id, created.id, 'member'), 200, `add ${name} to ${id}`);
      return created;
    })();
    w.users.set(name, user);
  }
  return user;
}

/**
 * Creates an incident as the administrator (its director) and makes every helper user a member.
 * The helpers' members are the cell of the older tests, written when any member decided: the
 * incident lets members decide unless `membersMayApprove: false` (test/security/decisionAuthority.test.ts).
 */
export async function createIncidentAsAdmin(url: string, title: string, options: { membersMayApprove?: boolean } = {}): Promise<string> {
  const w = world(url);
  const reply = await api<{ id: string }>(url, '/api/incidents', { token: await adminToken(url), body: { title, detectedAt: new Date().toISOString() } });
  expectStatus(reply, 201, 'create incident');
  const id = reply.body.id;
  if (options.membersMayApprove ?? true) {
    expectStatus(await api(url, `/api/incidents/${id}/decision-authority`, { method: 'PUT', token: await adminToken(url), body: { membersMayApprove: true } }), 200, 'let members decide');
  }
  w.incidents.add(id);
  for (const user of [...w.users.values()]) {
    const u = await user;
    expectStatus(await setRole(url, id, u.id, 'member'), 200, `add ${u.name} to ${id}`);
  }
  return id;
}
