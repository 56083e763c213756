import { spawnSync } from 'node:child_process';

/**
 * External services for the tests of the PostgreSQL and Redis backends.
 *
 * Jest collects describe blocks synchronously, so availability is decided synchronously too:
 * a child node process tries a TCP connection (no pg_isready or redis-cli needed). With
 * CI=true a missing service fails the suite; elsewhere its tests are skipped with a message
 * saying how to enable them.
 */

export type ServiceName = 'PostgreSQL' | 'Redis';

const DEFAULTS: Record<ServiceName, { env: string; url: string; port: number }> = {
  PostgreSQL: { env: 'DATABASE_URL', url: 'postgres://postgres@127.0.0.1:5432/test', port: 5432 },
  Redis: { env: 'REDIS_URL', url: 'redis://127.0.0.1:6379', port: 6379 },
};

export function postgresUrl(): string {
  return serviceUrl('PostgreSQL');
}

export function redisUrl(): string {
  return serviceUrl('Redis');
}

export function serviceUrl(name: ServiceName): string {
  const d = DEFAULTS[name];
  return process.env[d.env] || d.url;
}

export function inCi(): boolean {
  return process.env.CI === 'true';
}

const PROBE_TIMEOUT_MS = 1_500;
const PROBE = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(${PROBE_TIMEOUT_MS});
socket.on('connect', () => { socket.destroy(); process.exit(0); });
socket.on('error', () => process.exit(1));
socket.on('timeout', () => process.exit(1));
`;

const probed = new Map<string, boolean>();

/** Whether something accepts TCP connections at the URL's host and port (memoised per URL). */
export function isReachable(url: string, defaultPort: number): boolean {
  const cached = probed.get(url);
  if (cached !== undefined) return cached;
  const { hostname, port } = new URL(url);
  // A Unix-socket URL has no host to probe: let the tests try and fail loudly if it is wrong.
  if (!hostname) return true;
  const host = hostname.replace(/^\[|\]$/g, '');
  const result = spawnSync(process.execPath, ['-e', PROBE, host, port || String(defaultPort)], { timeout: PROBE_TIMEOUT_MS * 2, stdio: 'ignore' });
  const ok = result.status === 0;
  probed.set(url, ok);
  return ok;
}

/**
 * `describe`, when `service` is reachable. Otherwise: with CI=true a describe whose one test
 * fails and says why; without, a skipped describe and a console message on how to enable it.
 */
export function describeWithService(service: ServiceName, title: string, body: () => void): void {
  const url = serviceUrl(service);
  if (isReachable(url, DEFAULTS[service].port)) {
    describe(title, body);
    return;
  }
  const where = `${service} is not reachable at ${redact(url)}`;
  if (inCi()) {
    describe(title, () => {
      it(`needs ${service} (CI=true: tests never skip there)`, () => {
        throw new Error(`${where}. Start it or set ${DEFAULTS[service].env}.`);
      });
    });
    return;
  }
  const { env, port } = DEFAULTS[service];
  console.warn(`Skipping "${title}": ${where}. To run these tests, start ${service} on 127.0.0.1:${port} or set ${env}. (With CI=true they fail instead.)`);
  describe.skip(title, body); // skipped only on a laptop without the service: the warning above says how to enable it; CI fails instead
}

/** URLs may carry passwords; messages must not. */
function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
