import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Client } from 'pg';
import { freePort } from './serverProcess';
import { inCi } from './services';
import { onTeardown } from './testServer';
import { within } from './poll';

/**
 * Redis and PostgreSQL servers that a test starts, owns and throws away: an ephemeral port, a
 * temporary directory, nothing shared with the machine's own services. Outage tests stop and
 * start these, never the machine's (`npm test` on a laptop must leave its services running).
 *
 * Each start registers its teardown: by default with onTeardown (after the test), or with
 * `fileTeardown()` for one instance shared by a file's tests. A process exit also kills them, so
 * an interrupted run leaves no server behind.
 */

export type Register = (cleanup: () => Promise<void>) => void;

/** Call in a describe: cleanups registered through it run after all of its tests (last in, first out). */
export function fileTeardown(): Register {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  }, 60_000);
  return (cleanup) => cleanups.push(cleanup);
}

export interface DisposableService {
  url: string;
  port: number;
  /** Whether the server is up (as far as this helper started and stopped it). */
  readonly running: boolean;
  /** Stops the server; its data directory stays, so `start` brings back what it held (PostgreSQL). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  restart(): Promise<void>;
}

/**
 * Kills a server if the test process exits before its teardown ran (an interrupted run). The
 * listener lives only as long as the server, so files that start many never pile them up.
 */
function killOnExit(kill: () => void): () => void {
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

/** A temporary directory; the service's cleanup removes it after stopping the server. */
function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs a command to completion (without blocking the event loop: the nodes' output keeps flowing). */
function run(command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ended = new Promise<string>((resolve, reject) => {
    child.once('error', (err) => reject(err));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} ended with ${code ?? signal}:\n${output}`));
    });
  });
  return within(ended, timeoutMs, () => `${command} ${args.join(' ')} did not end within ${timeoutMs} ms:\n${output}`).catch((err: unknown) => {
    // Past its deadline: the command is stopped (a no-op once it has ended).
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  });
}

// ---------------------------------------------------------------------------------------------
// Redis

function redisServerBinary(): string {
  return process.env.REDIS_SERVER_BIN || 'redis-server';
}

/**
 * A redis-server child of this process on a free port of 127.0.0.1, persisting nothing. `stop`
 * kills it by pid (what it held in memory, pub/sub subscriptions included, is gone, as after a
 * crash); `start` runs a new one on the same port.
 */
export async function startDisposableRedis(register: Register = onTeardown): Promise<DisposableService> {
  const port = await freePort();
  const dir = scratchDir('crisis-redis-');
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (child) return;
    const proc = spawn(redisServerBinary(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const lines: string[] = [];
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === proc) child = null;
    });
    // redis-server says when it accepts connections: wait for that line, not for a port poll.
    const ready = new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
        lines.push(line);
        if (line.includes('Ready to accept connections')) resolve();
      });
      readline.createInterface({ input: proc.stderr! }).on('line', (line) => lines.push(line));
      proc.once('error', (err) => reject(err));
      void exited.then(() => reject(new Error(`redis-server exited before it was ready (port ${port}):\n${lines.join('\n')}`)));
    });
    await within(ready, 20_000, () => `redis-server did not start on port ${port}:\n${lines.join('\n')}`);
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGKILL');
    await exited;
  };

  const kill = () => {
    (child as ChildProcess | null)?.kill('SIGKILL');
  };
  const forget = killOnExit(kill);
  register(async () => {
    await stop();
    forget();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== null;
    },
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** The newest Debian PostgreSQL binaries, PG_BIN if set, else whatever is on PATH. */
function postgresBin(name: 'initdb' | 'pg_ctl'): string {
  if (process.env.PG_BIN) return path.join(process.env.PG_BIN, name);
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', name))) : [];
  versions.sort((a, b) => Number(a) - Number(b));
  const newest = versions[versions.length - 1];
  return newest === undefined ? name : path.join(root, newest, 'bin', name);
}

/** initdb refuses to run as root: as root, the instance belongs to `nobody`. */
function unprivilegedUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  const uid = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('running as root and there is no user "nobody" to own a disposable PostgreSQL');
  return { uid, gid, name: 'nobody' };
}

export interface DisposablePostgres extends DisposableService {
  /** The data directory (kept across stop/start). */
  dataDir: string;
}

/**
 * A PostgreSQL server of its own: initdb in a temporary directory (trust authentication, user
 * `postgres`, fsync off: nothing here must survive a power cut), pg_ctl start on a free port of
 * 127.0.0.1 with its Unix socket in that directory, and the database `database` created. `stop`
 * is `pg_ctl stop -m fast` (connections are terminated, as when an operator stops the server);
 * the data directory stays, so `start` brings back everything committed.
 */
export async function startDisposablePostgres(register: Register = onTeardown, database = 'test'): Promise<DisposablePostgres> {
  const port = await freePort();
  const dir = scratchDir('crisis-pg-');
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const owner = unprivilegedUser();
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const as = (bin: string, args: string[]): [string, string[]] => (owner ? ['runuser', ['-u', owner.name, '--', bin, ...args]] : [bin, args]);
  let running = false;

  const ctl = (args: string[]) => run(...as(postgresBin('pg_ctl'), ['-D', dataDir, ...args]));
  const start = async () => {
    if (running) return;
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    // -w: returns once the server accepts connections.
    await ctl(['-o', options, '-l', logFile, '-w', '-t', '60', 'start']).catch((err: Error) => {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
      throw new Error(`${err.message}\n${log}`);
    });
    running = true;
  };
  const stop = async () => {
    if (!running) return;
    await ctl(['-m', 'fast', '-w', '-t', '60', 'stop']);
    running = false;
  };

  // A run killed before teardown must not leave a postmaster behind (pg_ctl detaches it from us).
  const kill = () => {
    if (running) spawnSync(...as(postgresBin('pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']), { timeout: 10_000, stdio: 'ignore' });
  };
  const forget = killOnExit(kill);
  register(async () => {
    await stop().catch(() => kill());
    forget();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  await run(...as(postgresBin('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']));
  await start();
  const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    port,
    dataDir,
    get running() {
      return running;
    },
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Availability

export type DisposableKind = 'PostgreSQL' | 'Redis';

function missingBinary(kind: DisposableKind): string | null {
  const bins = kind === 'Redis' ? [redisServerBinary()] : [postgresBin('initdb'), postgresBin('pg_ctl')];
  for (const bin of bins) {
    const probe = spawnSync(bin, ['--version'], { stdio: 'ignore', timeout: 5_000 });
    if (probe.error || probe.status !== 0) return bin;
  }
  return null;
}

/**
 * `describe`, when the binaries to start disposable `kinds` are installed. Otherwise: with
 * CI=true a describe whose one test fails and says why; without, a skipped describe and a
 * message on what to install.
 */
export function describeWithDisposable(kinds: DisposableKind[], title: string, body: () => void): void {
  const missing = kinds.map(missingBinary).filter((b): b is string => b !== null);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const why = `cannot run ${missing.join(', ')} to start a disposable ${kinds.join(' and ')}`;
  if (inCi()) {
    describe(title, () => {
      it(`needs ${kinds.join(' and ')} binaries (CI=true: tests never skip there)`, () => {
        throw new Error(`${why}. Install redis-server / the PostgreSQL server package, or set REDIS_SERVER_BIN / PG_BIN.`);
      });
    });
    return;
  }
  console.warn(`Skipping "${title}": ${why}. Install them (or set REDIS_SERVER_BIN / PG_BIN) to run these tests. (With CI=true they fail instead.)`);
  describe.skip(title, body); // skipped only where the binaries are missing: the warning says what to install; CI fails instead
}
