import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { onTeardown } from './testServer';
import { TEST_ADMIN } from './accounts';
import { within } from './poll';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** A port that was free a moment ago: listen on port 0, note the port, close. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends `signal` and resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServerProcessOptions {
  dataDir: string;
  port: number;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

/**
 * Runs `server/main.ts` in its own Node process (through tsx), as in production: configuration
 * from the environment, SQLite in DATA_DIR. Resolves once the server logged that it listens
 * and answered GET /healthz; the process is killed at teardown if still alive.
 */
export async function startServerProcess({ dataDir, port, env = {}, startTimeoutMs = 20_000 }: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ADMIN_EMAIL: TEST_ADMIN.email, ADMIN_PASSWORD: TEST_ADMIN.password, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
  };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (alive) child.kill(signal);
    return exited;
  };
  onTeardown(() => stop('SIGKILL').then(() => undefined));

  const listening = new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      if (line.includes('"crisis-cell server listening"')) resolve();
    });
    readline.createInterface({ input: child.stderr! }).on('line', keep);
    void exited.then(({ code, signal }) => reject(new Error(`server process exited (code ${code}, signal ${signal}) before listening:\n${lines.join('\n')}`)));
  });
  await within(listening, startTimeoutMs, () => `server process did not start within ${startTimeoutMs} ms:\n${lines.join('\n')}`);

  const url = `http://127.0.0.1:${port}`;
  const health = await fetch(`${url}/healthz`);
  if (health.status !== 200) throw new Error(`healthz answered ${health.status}`);
  const body = (await health.json()) as { ok?: unknown };
  if (body.ok !== true) throw new Error(`healthz: ${JSON.stringify(body)}`);

  return { url, port, dataDir, child, exited, output: () => lines.join('\n'), stop };
}
