import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { postgresUrl, redisUrl } from '../../helpers/services';

/**
 * Deliberate outages of the machine's real Redis and PostgreSQL, with the restart commands of
 * the project conventions. Every test that stops one calls `restoreServices()` in a finally
 * and in afterAll, so a failing test never leaves the machine without them.
 */

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

function redisPort(): number {
  return Number(new URL(redisUrl()).port || 6379);
}

function postgresVersion(): string {
  const versions = fs.readdirSync('/etc/postgresql');
  if (versions.length !== 1) throw new Error(`expected one PostgreSQL version in /etc/postgresql, found ${versions.join(', ')}`);
  return versions[0]!;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Polls (no event exists for "a server came up") until `port` accepts connections or `timeoutMs` passes. */
export async function untilAccepting(port: number, up: boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await accepts(port)) !== up) {
    if (Date.now() > deadline) throw new Error(`port ${port} still ${up ? 'closed' : 'open'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Redis exits without saving anything: whatever it held in memory (pub/sub state included) is gone. */
export async function stopRedis(): Promise<void> {
  // redis-cli reports the dropped connection of a successful SHUTDOWN as an error; the port tells the truth.
  spawnSync('redis-cli', ['-p', String(redisPort()), 'shutdown', 'nosave'], { timeout: 10_000 });
  await untilAccepting(redisPort(), false);
}

export async function startRedis(): Promise<void> {
  if (await accepts(redisPort())) return;
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(redisPort()), '--save', '', '--appendonly', 'no', '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log']);
  await untilAccepting(redisPort(), true);
}

export async function stopPostgres(): Promise<void> {
  run('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'stop', '-m', 'fast']);
}

export async function startPostgres(): Promise<void> {
  const port = Number(new URL(postgresUrl()).port || 5432);
  if (await accepts(port)) return;
  run('pg_ctlcluster', ['--skip-systemctl-redirect', postgresVersion(), 'main', 'start']);
  await untilAccepting(port, true);
}

/** Brings back whatever a test stopped; safe to call when both are up. */
export async function restoreServices(): Promise<void> {
  const errors: unknown[] = [];
  for (const start of [startRedis, startPostgres]) await start().catch((err: unknown) => errors.push(err));
  if (errors.length > 0) throw new AggregateError(errors, 'could not restore Redis/PostgreSQL');
}
