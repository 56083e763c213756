import type { IncidentRole } from '../../shared/auth/roles';
import { createIncidentOver, expectStatus, rest } from './rest';

/**
 * Accounts for the benches, made through the real REST API: the administrator every bench
 * server is started with (ADMIN_EMAIL/ADMIN_PASSWORD on its first start), bench users invited
 * by it, each with an API token for its sockets, and their roles in the bench incident.
 */
export const BENCH_ADMIN = { email: 'bench-admin@crisis.bench', password: 'bench administrator passphrase' } as const;
const BENCH_PASSWORD = 'bench user passphrase, long enough';
/** Invitations accepted at once: each costs the server an argon2id hash (19 MiB, 2 passes). */
const CONCURRENCY = 8;

/** The environment of a bench server: the administrator to create at its first start. */
export function benchAdminEnv(): Record<string, string> {
  return { ADMIN_EMAIL: BENCH_ADMIN.email, ADMIN_PASSWORD: BENCH_ADMIN.password };
}

/** What a bench client connects with: the display name it writes under (the server checks it) and an API token. */
export interface BenchCredential {
  name: string;
  token: string;
}

function cookieOf(headers: Headers): string {
  const set = headers.get('set-cookie');
  if (!set) throw new Error('no session cookie in the reply');
  return set.split(';')[0]!;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export class BenchAuth {
  private static counter = 0;

  private constructor(
    readonly url: string,
    /** The administrator's API token. */
    readonly adminToken: string,
  ) {}

  /**
   * Logs in as the bench administrator and makes it an API token. A server just started answers
   * /healthz before its first start has finished creating the administrator (an argon2id hash):
   * wait until /api/auth/status says an account exists (a refused login would count towards the
   * login throttle).
   */
  static async login(url: string): Promise<BenchAuth> {
    const deadline = Date.now() + 15_000;
    while (expectStatus(await rest<{ setupRequired: boolean }>(url, '/api/auth/status'), 200, 'auth status').setupRequired) {
      if (Date.now() > deadline) throw new Error('the bench administrator was not created within 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await rest(url, '/api/auth/login', { body: BENCH_ADMIN });
    expectStatus(login, 200, 'administrator login');
    const token = await rest<{ token: string }>(url, '/api/auth/tokens', { cookie: cookieOf(login.headers), body: { name: 'bench administrator' } });
    return new BenchAuth(url, expectStatus(token, 201, 'administrator token').token);
  }

  /** An incident whose director is the administrator. */
  createIncident(title?: string): Promise<string> {
    return createIncidentOver(this.url, this.adminToken, title);
  }

  /** A new account named `name`: invited, accepted, given an API token. */
  async createUser(name: string): Promise<BenchCredential & { id: string; email: string }> {
    const email = `bench-${++BenchAuth.counter}-${Date.now().toString(36)}@crisis.bench`;
    const invite = await rest<{ token: string }>(this.url, '/api/invites', { token: this.adminToken, body: { email, displayName: name } });
    const secret = expectStatus(invite, 201, `invite ${name}`).token;
    const accepted = await rest<{ user: { id: string } }>(this.url, '/api/invites/accept', { body: { token: secret, password: BENCH_PASSWORD } });
    const id = expectStatus(accepted, 200, `accept the invitation of ${name}`).user.id;
    const token = await rest<{ token: string }>(this.url, '/api/auth/tokens', { cookie: cookieOf(accepted.headers), body: { name: 'bench' } });
    return { id, email, name, token: expectStatus(token, 201, `token of ${name}`).token };
  }

  /** A password login of a bench user (made by createUser): its session cookie, `name=value`, for a browser. */
  async sessionCookie(email: string): Promise<string> {
    const login = await rest(this.url, '/api/auth/login', { body: { email, password: BENCH_PASSWORD } });
    expectStatus(login, 200, `login ${email}`);
    return cookieOf(login.headers);
  }

  async setRole(incidentId: string, userId: string, role: IncidentRole): Promise<void> {
    expectStatus(await rest(this.url, `/api/incidents/${incidentId}/members/${userId}`, { method: 'PUT', token: this.adminToken, body: { role } }), 200, `role of ${userId}`);
  }

  /** Accounts for `names`, each with `role` in the incident, a few at a time. */
  async members(incidentId: string, names: string[], role: IncidentRole): Promise<BenchCredential[]> {
    return inBatches(names, CONCURRENCY, async (name) => {
      const user = await this.createUser(name);
      await this.setRole(incidentId, user.id, role);
      return { name: user.name, token: user.token };
    });
  }

  /**
   * Credentials for a fleet of `clients` on one incident: the first `writers` are members, each
   * with an account of their own (`bench-<i>`, the name they write under); the readers share one
   * observer account and token (the server allows many sockets per account), so thousands of
   * watchers do not mean thousands of password hashes.
   */
  async fleet(incidentId: string, clients: number, writers = clients): Promise<BenchCredential[]> {
    const writing = await this.members(incidentId, Array.from({ length: writers }, (_, i) => `bench-${i}`), 'member');
    if (writers >= clients) return writing;
    const [watcher] = await this.members(incidentId, ['bench-watchers'], 'observer');
    return [...writing, ...Array.from({ length: clients - writers }, () => watcher!)];
  }
}
