import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { until } from '../../helpers/poll';

/**
 * The shipped load balancer, run for real: Debian's nginx with the SAME deploy/nginx.conf,
 * rendered for loopback by a small substitution, so a test behind it proves the file itself.
 *
 * The substitution (renderNginxConf) changes only:
 *   1. `server node-N:3000 ...` in the upstream  →  `server 127.0.0.1:<port of node N> ...`
 *      (parameters such as max_fails kept as written);
 *   2. `listen 8080;`  →  `listen 127.0.0.1:<free port>;`
 *   3. every `/tmp/...` path (pid, temporary files)  →  the same name in a temporary directory;
 *   4. `/dev/stdout` and `/dev/stderr` (access and error logs)  →  files in that directory.
 * Everything else (headers, timeouts, failover, the locations) is the shipped text, byte for
 * byte; test/cluster/nginxConf.test.ts checks that the diff holds nothing else.
 *
 * No jest in here: the rolling bench uses it too. Callers stop what they start.
 */

export const NGINX_PATH = process.env.CRISIS_NGINX || '/usr/sbin/nginx';
export const SHIPPED_NGINX_CONF = path.resolve(__dirname, '../../../deploy/nginx.conf');

export function nginxAvailable(): boolean {
  return fs.existsSync(NGINX_PATH);
}

export interface RenderOptions {
  /** Loopback port of node-1, node-2, ... in the order of the upstream's `server node-N` lines. */
  upstreamPorts: number[];
  listenPort: number;
  /** Absolute directory for the pid file, temporary files and logs. */
  dir: string;
}

const UPSTREAM_LINE = /^(\s*server\s+)node-(\d+):3000(\s[^\n]*)?$/gm;
const LISTEN_LINE = /^(\s*listen\s+)8080;/gm;

/** The shipped configuration with the four substitutions above; throws if the file no longer has the expected shape. */
export function renderNginxConf(source: string, { upstreamPorts, listenPort, dir }: RenderOptions): string {
  if (!path.isAbsolute(dir)) throw new Error(`renderNginxConf: ${dir} is not absolute`);
  const seen = new Set<number>();
  let out = source.replace(UPSTREAM_LINE, (_line, head: string, n: string, rest: string | undefined) => {
    const index = Number(n) - 1;
    const port = upstreamPorts[index];
    if (port === undefined) throw new Error(`renderNginxConf: deploy/nginx.conf names node-${n}, but only ${upstreamPorts.length} ports were given`);
    seen.add(index);
    return `${head}127.0.0.1:${port}${rest ?? ''}`;
  });
  if (seen.size !== upstreamPorts.length) throw new Error(`renderNginxConf: deploy/nginx.conf names ${seen.size} nodes, ${upstreamPorts.length} ports were given`);
  let listens = 0;
  out = out.replace(LISTEN_LINE, (_line, head: string) => {
    listens++;
    return `${head}127.0.0.1:${listenPort};`;
  });
  if (listens !== 1) throw new Error(`renderNginxConf: expected one "listen 8080;", found ${listens}`);
  // Paths: on directive lines only (comments stay as shipped).
  out = out
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line
            .replace(/(?<=\s)\/tmp\//g, `${dir}/`)
            .replace(/(?<=\s)\/dev\/stdout(?=[\s;])/g, path.join(dir, 'access.log'))
            .replace(/(?<=\s)\/dev\/stderr(?=[\s;])/g, path.join(dir, 'error.log')),
    )
    .join('\n');
  return out;
}

export interface NginxProcess {
  url: string;
  port: number;
  dir: string;
  /** The rendered configuration file. */
  confFile: string;
  child: ChildProcess;
  /** The error log so far (for failure messages). */
  errorLog(): string;
  /** Fast shutdown (SIGTERM: the master ends its workers), resolved once the master is gone. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Renders deploy/nginx.conf into a fresh temporary directory and runs nginx on it in the
 * foreground (`-p dir -c dir/nginx.conf -e dir/error.log -g "daemon off;"`). Resolves once it
 * accepts connections. As root, nginx's workers run as `nobody`: the directory is made
 * traversable for them (nginx creates the temporary folders inside with their owner).
 */
export async function startNginx(upstreamPorts: number[], options: { listenPort?: number; startTimeoutMs?: number } = {}): Promise<NginxProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-nginx-'));
  fs.chmodSync(dir, 0o755);
  const port = options.listenPort ?? (await freeLoopbackPort());
  const confFile = path.join(dir, 'nginx.conf');
  fs.writeFileSync(confFile, renderNginxConf(fs.readFileSync(SHIPPED_NGINX_CONF, 'utf8'), { upstreamPorts, listenPort: port, dir }));
  const errorFile = path.join(dir, 'error.log');
  const errorLog = () => {
    try {
      return fs.readFileSync(errorFile, 'utf8');
    } catch {
      return '';
    }
  };
  const child = spawn(NGINX_PATH, ['-p', `${dir}/`, '-c', confFile, '-e', errorFile, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  const stop = async () => {
    if (alive) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // nginx says nothing when it is ready: poll its port (or its exit).
  const ready = await until(async () => !alive || (await accepts(port)), 'nginx to accept connections', options.startTimeoutMs ?? 10_000).then(
    () => alive,
    () => false,
  );
  if (!ready) {
    const why = `nginx did not start (${alive ? 'timeout' : 'exited'}):\n${stderr}${errorLog()}`;
    await stop();
    throw new Error(why);
  }
  return { url: `http://127.0.0.1:${port}`, port, dir, confFile, child, errorLog, stop };
}

/** `nginx -t` on a rendered file: its verdict and messages. */
export function testNginxConf(confFile: string): { ok: boolean; output: string } {
  const dir = path.dirname(confFile);
  const result = spawnSync(NGINX_PATH, ['-t', '-p', `${dir}/`, '-c', confFile, '-e', path.join(dir, 'error.log')], { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
