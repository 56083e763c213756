import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { benchAdminEnv } from './auth';
import { inspectorGc } from './inspectorGc';

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  dataDir: string;
  child: ChildProcess;
  /** With `inspect`: a full garbage collection in the server, so memory is read without garbage in it. */
  collectGarbage(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  /** Opens the V8 inspector on a loopback port, for collectGarbage(). */
  inspect?: boolean;
  /** The checkout whose compiled server runs (an older commit's, bench/lib/baseline.ts); default this one. */
  root?: string;
  /** Node flags for this server only, after serverNodeFlags(). */
  nodeArgs?: string[];
  /** Receives the server's standard output (ignored otherwise), e.g. the lines of --trace-gc. */
  onStdout?: (chunk: Buffer) => void;
}

const ROOT = path.resolve(__dirname, '../..');

/** A checkout's package.json config.serverNodeFlags: the flags its `npm start` runs the server with. */
function configuredFlags(root: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { config?: { serverNodeFlags?: string } };
  return String(pkg.config?.serverNodeFlags ?? '').split(' ').filter(Boolean);
}

/**
 * The flags `npm start` of `root` (default this checkout) runs the server with, then any the
 * bench adds. An older commit (`--baseline`) runs with its own: measured as it was deployed.
 */
export function serverNodeFlags(root: string = ROOT): string[] {
  return [...configuredFlags(root), ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs the compiled server as its own process, the way `npm start` does, so its CPU and memory
 * are measured apart from the clients'. Its first start creates the bench administrator
 * (ADMIN_EMAIL/ADMIN_PASSWORD, see ./auth.ts).
 */
export async function spawnServer(env: Record<string, string> = {}, options: SpawnOptions = {}): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const dataDir = env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-bench-'));
  const inspectPort = options.inspect ? await freePort() : null;
  const root = options.root ?? ROOT;
  const extraArgs = [...serverNodeFlags(root), ...(options.nodeArgs ?? []), ...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [])];
  // The compiled server (npm run bench builds it first), as npm start runs it.
  const child = spawn(process.execPath, [...extraArgs, path.join(root, 'dist/server/main.js')], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...benchAdminEnv(), ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', options.onStdout ? 'pipe' : 'ignore', inspectPort ? 'pipe' : 'inherit'],
  });
  if (options.onStdout) child.stdout?.on('data', options.onStdout);
  // The inspector announces itself on stderr; pass on everything else.
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = chunk.toString().split('\n').filter((l) => l && !/^(Debugger listening|Debugger ending|For help, see|Debugger attached|Waiting for the debugger)/.test(l));
    if (lines.length > 0) process.stderr.write(lines.join('\n') + '\n');
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('server did not start within 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  const collectGarbage = () => (inspectPort ? inspectorGc(inspectPort) : Promise.reject(new Error('spawnServer: collectGarbage needs { inspect: true }')));
  return { url, port, pid: child.pid!, dataDir, child, collectGarbage, stop };
}

/**
 * Write budgets (server/env/budgetEnv.ts: 400 records per member and 2,000 per incident and
 * minute by default) lifted, with the per-connection message rate, for benches that measure
 * how fast the journal acknowledges rather than how the server refuses a flood.
 */
export const LIFTED_WRITE_LIMITS: Record<string, string> = {
  SOCKET_RATE_PER_SECOND: '1000000',
  SOCKET_RATE_BURST: '1000000',
  BUDGET_MEMBER_RECORDS_PER_MINUTE: '100000000',
  BUDGET_MEMBER_BYTES_PER_MINUTE: '100000000000',
  BUDGET_INCIDENT_RECORDS_PER_MINUTE: '100000000',
  BUDGET_INCIDENT_BYTES_PER_MINUTE: '100000000000',
};
