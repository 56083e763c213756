import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { analyse } from './lib/clientWorkers';
import { serviceUrls } from './lib/clusterNodes';
import { freePort, serverNodeFlags } from './lib/serverProcess';
import { nowMs } from './lib/stats';
import type { FloorJob, FloorReport } from './lib/floorClient';

export const FloorOptionsSchema = z
  .object({
    clients: z.coerce.number().int().min(2).max(2000).default(50),
    seconds: z.coerce.number().min(1).max(600).default(30),
    rate: z.coerce.number().min(0.1).max(100).default(1),
    procs: z.coerce.number().int().min(1).max(16).default(4),
    /** 1: one relay, as `latency`; 2 or more: relays joined by Redis pub/sub, as `cluster`. */
    nodes: z.coerce.number().int().min(1).max(8).default(1),
    /** Whether each client applies what it receives to a Y.Doc, as every real client does. */
    ydoc: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
    /** Whether each relay fdatasyncs every update before acknowledging it. */
    fsync: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  })
  .strict();

/**
 * The floor under `latency` and `cluster` on this machine: the same clients, spread over the same
 * processes and writing at the same rate, through relays that do nothing but fsync, acknowledge
 * and broadcast (bench/lib/floorServer.ts). The real server can only be slower; the difference
 * is what the server itself costs, the rest is the machine.
 */
export async function runFloorBench(raw: Record<string, string>): Promise<object> {
  const opts = FloorOptionsSchema.parse(raw);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-floor-'));
  const channel = `floor-${randomBytes(4).toString('hex')}`;
  const relays: ChildProcess[] = [];
  const clients: ChildProcess[] = [];
  try {
    const urls: string[] = [];
    for (let n = 0; n < opts.nodes; n++) {
      const port = await freePort();
      const relay = fork(path.join(__dirname, 'lib/floorServer.ts'), [], {
        execArgv: ['--import', 'tsx', ...serverNodeFlags()],
        env: {
          ...process.env,
          PORT: String(port),
          FLOOR_NODE: String(n),
          FLOOR_CHANNEL: channel,
          ...(opts.fsync ? { FLOOR_JOURNAL: path.join(dir, `journal-${n}`) } : {}),
          ...(opts.nodes > 1 ? { FLOOR_REDIS_URL: serviceUrls().redisUrl } : {}),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      relays.push(relay);
      await request(relay, null, 'ready');
      urls.push(`http://127.0.0.1:${port}`);
    }
    const per = Math.ceil(opts.clients / opts.procs);
    for (let p = 0; p * per < opts.clients; p++) {
      const child = fork(path.join(__dirname, 'lib/floorClient.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      clients.push(child);
      const job: FloorJob = { urls, base: p * per, count: Math.min(per, opts.clients - p * per), totalClients: opts.clients, seconds: opts.seconds, rate: opts.rate, ydoc: opts.ydoc };
      await request(child, { cmd: 'connect', job }, 'connected');
    }
    const startAt = nowMs() + 1000;
    const reports = await Promise.all(clients.map((c) => request<{ report: FloorReport }>(c, { cmd: 'run', startAt }, 'report')));
    const result = analyse({ urls, clients: opts.clients }, reports.map((r) => r.report));
    return {
      bench: 'floor',
      relay: 'bare socket.io: fsync, ack, broadcast; no Yjs, checks or accounts on the server',
      nodes: opts.nodes,
      clients: opts.clients,
      clientProcesses: clients.length,
      clientsApplyYjs: opts.ydoc,
      fsync: opts.fsync,
      seconds: opts.seconds,
      entries: result.entries,
      fullyDelivered: result.fullyDelivered,
      fanoutMs: result.fanoutAllMs,
      ...(result.firstOtherNodeMs ? { firstOtherNodeMs: result.firstOtherNodeMs } : {}),
      ackMs: result.ackMs,
    };
  } finally {
    for (const c of [...clients, ...relays]) if (c.exitCode === null) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function request<T = unknown>(child: ChildProcess, message: object | null, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`floor bench process exited with ${code}`));
    const onMessage = (m: Record<string, unknown>) => {
      if (m.error) reject(new Error(String(m.error)));
      else if (key in m) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (message) child.send(message);
  });
}
