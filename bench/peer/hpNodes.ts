import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, serverNodeFlags } from '../lib/serverProcess';
import { serviceUrls } from '../lib/clusterNodes';
import { requestChild } from '../lib/childRequest';
import { inspectorGc } from '../lib/inspectorGc';

export interface HpNode {
  url: string;
  pid: number;
  /** A full collection in the node, through its inspector (memory read without garbage). */
  collectGarbage(): Promise<void>;
}

export interface HpCluster {
  nodes: HpNode[];
  /** The SQLite file of node n (each node has its own, as each Hocuspocus instance would). */
  databases: string[];
  stop(): Promise<void>;
}

/**
 * `count` Hocuspocus nodes, each its own process with the same Node flags as this server's
 * (package.json config.serverNodeFlags) and an inspector on a loopback port; with more than
 * one, joined by the Redis extension under a fresh prefix. `databases` reuses SQLite files
 * (a seeded document); by default each node gets a new one in a temporary folder.
 */
export async function startHocuspocus(count: number, databases?: string[]): Promise<HpCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-peer-hp-'));
  const prefix = `bench-peer-${randomBytes(5).toString('hex')}`;
  const children: ChildProcess[] = [];
  const nodes: HpNode[] = [];
  const files = databases ?? Array.from({ length: count }, (_, n) => path.join(dir, `hocuspocus-${n}.sqlite`));
  const stop = async () => {
    await Promise.all(
      children.map((c) => (c.exitCode === null ? new Promise<void>((resolve) => (c.once('exit', () => resolve()), c.kill('SIGTERM'))) : null)),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let n = 0; n < count; n++) {
      const port = await freePort();
      const inspectPort = await freePort();
      const child = fork(path.join(__dirname, 'hocuspocusServer.ts'), [], {
        execArgv: ['--import', 'tsx', ...serverNodeFlags(), `--inspect=127.0.0.1:${inspectPort}`],
        env: {
          ...process.env,
          PORT: String(port),
          HP_NODE: String(n),
          HP_DATABASE: files[n]!,
          ...(count > 1 ? { HP_REDIS_URL: serviceUrls().redisUrl, HP_REDIS_PREFIX: prefix } : {}),
        },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().split('\n').filter((l) => l && !/^(Debugger listening|Debugger ending|For help, see|Debugger attached|Waiting for the debugger)/.test(l));
        if (lines.length > 0) process.stderr.write(lines.join('\n') + '\n');
      });
      children.push(child);
      await requestChild(child, null, 'ready', 'hocuspocus node');
      nodes.push({ url: `ws://127.0.0.1:${port}`, pid: child.pid!, collectGarbage: () => inspectorGc(inspectPort) });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, databases: files, stop };
}
