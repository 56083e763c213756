/**
 * A client process of the `peer` bench on the Hocuspocus side: the same workload as
 * bench/lib/clientWorker.ts (each writer appends one log entry per period, a JSON string of the
 * same LogEntry pushed onto a Y.Array), through @hocuspocus/provider, one WebSocket per client.
 * The writer's ack is the provider's own: the server's SyncStatus reply that brings its count
 * of unsynced changes down. Reports in the shape of WorkerReport, so analyse() reads both sides.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { buildLogEntry } from '../../shared/docs/logDoc';
import { nowMs } from '../lib/stats';
import type { WorkerReport } from '../lib/clientWorker';

export interface HpWorkerJob {
  urls: string[];
  document: string;
  /** Global indices of the clients this process hosts; the first `writers` of them write. */
  indices: number[];
  writers: number;
  seconds: number;
  rate: number;
  totalClients: number;
}

export type HpWorkerCommand = { cmd: 'connect'; job: HpWorkerJob } | { cmd: 'run'; startAt: number } | { cmd: 'serial'; seconds: number } | { cmd: 'exit' };

interface Member {
  index: number;
  provider: HocuspocusProvider;
  doc: Y.Doc;
  /** Resolvers of this client's writes not yet acknowledged, oldest first. */
  pending: Array<() => void>;
}

const ID = /"id":"([^"]+)"/;
let job: HpWorkerJob | null = null;
let members: Member[] = [];
const arrivals: WorkerReport['arrivals'] = {};

process.on('message', (command: HpWorkerCommand) => {
  void handle(command).catch((err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  });
});

/** Connects one client and resolves once its document is synced with the server. */
export function connectProvider(url: string, document: string, doc: Y.Doc): Promise<HocuspocusProvider> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`BENCH_TIMEOUT: hocuspocus provider for ${document} not synced`)), 60_000);
    // One WebSocket per client (a provider given a socket does not own it: destroyProvider ends both).
    const websocketProvider = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({
      websocketProvider,
      name: document,
      document: doc,
      onSynced: () => {
        clearTimeout(timer);
        // No presence, as this server's bench clients: a provider's default presence is renewed
        // every 15 s and sent to every connection of the document, inside the timed phases.
        provider.awareness?.setLocalState(null);
        resolve(provider);
      },
    });
    provider.attach();
  });
}

async function handle(command: HpWorkerCommand): Promise<void> {
  if (command.cmd === 'exit') process.exit(0);
  if (command.cmd === 'connect') {
    job = command.job;
    const j = job;
    members = await Promise.all(
      j.indices.map(async (index) => {
        const doc = new Y.Doc();
        const member: Member = { index, doc, pending: [], provider: await connectProvider(j.urls[index % j.urls.length]!, j.document, doc) };
        member.provider.on('unsyncedChanges', ({ number }: { number: number }) => {
          // Each SyncStatus acknowledges the oldest write still waiting.
          while (member.pending.length > number) member.pending.shift()!();
        });
        doc.getArray<string>('log').observe((event, tx) => {
          if (tx.local) return;
          const at = nowMs();
          for (const item of event.changes.added) {
            for (const text of item.content.getContent() as string[]) {
              const id = ID.exec(text)?.[1];
              if (id) (arrivals[id] ??= []).push([at, index]);
            }
          }
        });
        return member;
      }),
    );
    process.send?.({ connected: true });
    return;
  }
  if (!job) throw new Error('run before connect');
  if (command.cmd === 'serial') {
    process.send?.({ serial: await writeSerially(members[0]!, command.seconds) });
    return;
  }
  const j = job;
  const sent: WorkerReport['sent'] = [];
  const periodMs = 1000 / j.rate;
  const endAt = command.startAt + j.seconds * 1000;
  await Promise.all(
    members.slice(0, j.writers).map(async (m) => {
      let next = command.startAt + (periodMs * m.index) / j.totalClients;
      await sleep(next - nowMs());
      while (next < endAt) {
        const t0 = nowMs();
        const record = { id: '', t0, ackMs: null as number | null, writer: m.index };
        m.pending.push(() => (record.ackMs ??= nowMs() - t0));
        record.id = append(m, `Point ${m.index}: ${'x'.repeat(80)}`);
        sent.push(record);
        next += periodMs;
        await sleep(next - nowMs());
      }
    }),
  );
  await sleep(1500);
  for (const m of members) destroyProvider(m.provider);
  const report: WorkerReport = { sent, arrivals };
  // Exiting on our own lets a profiler (BENCH_CLIENT_NODE_ARGS=--cpu-prof) write its file, which a kill would not.
  process.send?.({ report }, () => process.exit(0));
}

/** Appends one entry, as the SDK's appendLog builds it; returns its id. */
function append(m: Member, text: string): string {
  const entry = buildLogEntry({ text, category: 'information' }, `Membre ${m.index}`, new Date());
  m.doc.getArray<string>('log').push([JSON.stringify(entry)]);
  return entry.id;
}

/** One client writing one entry at a time, each after the previous one's ack. */
async function writeSerially(m: Member, seconds: number): Promise<{ acks: number; seconds: number; ackMs: number[] }> {
  const started = nowMs();
  const endAt = started + seconds * 1000;
  const ackMs: number[] = [];
  while (nowMs() < endAt) {
    const t0 = nowMs();
    const acked = new Promise<void>((resolve) => m.pending.push(resolve));
    append(m, `Écriture en série ${ackMs.length}`);
    await acked;
    ackMs.push(nowMs() - t0);
  }
  return { acks: ackMs.length, seconds: (nowMs() - started) / 1000, ackMs };
}

/** Ends a provider and the WebSocket connectProvider gave it. */
export function destroyProvider(provider: HocuspocusProvider): void {
  const socket = provider.configuration.websocketProvider;
  provider.destroy();
  socket.destroy();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
