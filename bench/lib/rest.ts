import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../shared/auth/schemas';

export interface RestReply<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** One REST call as a script makes it: a bearer token, or a session cookie with the CSRF header on writes. */
export async function rest<T = unknown>(url: string, path: string, options: { method?: string; body?: unknown; token?: string; cookie?: string } = {}): Promise<RestReply<T>> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  else if (method !== 'GET') headers[CSRF_HEADER] = CSRF_HEADER_VALUE;
  if (options.cookie) headers.cookie = options.cookie;
  const res = await fetch(`${url}${path}`, { method, headers, ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** The reply's body when its status is the expected one; an error naming the call otherwise. */
export function expectStatus<T>(reply: RestReply<T>, status: number, what: string): T {
  if (reply.status !== status) throw new Error(`${what}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Creates an incident over REST, as a script would (its creator, the token's user, becomes director). */
export async function createIncidentOver(url: string, token: string, title = 'Bench incident'): Promise<string> {
  const reply = await rest<{ id: string }>(url, '/api/incidents', { token, body: { title, detectedAt: new Date().toISOString() } });
  return expectStatus(reply, 201, 'create incident').id;
}
