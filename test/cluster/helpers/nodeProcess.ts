import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { within } from '../../helpers/poll';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * How a node is run: `source` is server/main.ts through tsx (tests: never a stale dist/);
 * `compiled` is dist/server/main.js with the flags of `npm start` (benches: as in production).
 */
export type NodeEntry = 'source' | 'compiled';

function commandOf(entry: NodeEntry): string[] {
  if (entry === 'source') return ['--import', 'tsx', 'server/main.ts'];
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { config?: { serverNodeFlags?: string } };
  return [...(pkg.config?.serverNodeFlags ?? '').split(' ').filter(Boolean), 'dist/server/main.js'];
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the signal to the end of the process. */
  ms: number;
}

/**
 * One server node as its own process, restartable on the same port, data folder and
 * environment, as an operator's process manager or compose restarts one of the deployment's own
 * nodes. It only ever signals the node process it started itself.
 * No jest in here (the rolling bench uses it); whoever starts it stops it.
 */
export class NodeProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
  private readonly lines: string[] = [];
  /** Starts of this node (1 after the first start). */
  starts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
    private readonly entry: NodeEntry,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the node printed (stdout and stderr), for failure messages. */
  output(): string {
    return this.lines.join('\n');
  }

  /** Spawns the node and resolves once it logged that it listens and /healthz answered 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.alive) throw new Error(`${this.name} is already running`);
    const child = spawn(process.execPath, commandOf(this.entry), {
      cwd: ROOT,
      env: { ...process.env, ...this.env, NODE_ID: this.name, PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const keep = (line: string) => {
      this.lines.push(line);
      if (this.lines.length > 300) this.lines.shift();
    };
    readline.createInterface({ input: child.stderr! }).on('line', keep);
    const listening = new Promise<void>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        keep(line);
        if (line.includes('"crisis-cell server listening"')) resolve();
      });
      void this.exited.then(({ code, signal }) => reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) before listening:\n${this.output()}`)));
    });
    await within(listening, timeoutMs, () => `${this.name} did not start within ${timeoutMs} ms:\n${this.output()}`);
    const health = await fetch(`${this.url}/healthz`);
    if (health.status !== 200) throw new Error(`${this.name} /healthz answered ${health.status} after start`);
  }

  /** Sends `signal` and resolves once the process is gone, with how it ended and how long that took. */
  async stop(signal: NodeJS.Signals): Promise<Exit> {
    const t0 = Date.now();
    if (this.alive) this.child!.kill(signal);
    const end = await this.exited;
    return { ...end, ms: Date.now() - t0 };
  }
}
