import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigSchema } from '../server/config';
import { type RunningServer, startServer } from '../server/createServer';
import { BENCH_ADMIN, BenchAuth } from './lib/auth';
import { seedManyEntries } from './lib/seedLog';
import { watchStalls } from './lib/stallWatch';

/**
 * `npm run bench -- stall`: what the first question after a restart costs the node's other
 * users. An incident of `--entries` log entries (`--perRecord` per journal record) is written,
 * the server stopped; then, for each question (timeline window, handover, report draft), the
 * server is started again on the same data and asked it once cold, then once warm. Reported:
 * the answer times and the longest stall of the event loop during the cold answer (the gap
 * between ticks of a 5 ms timer, less the interval): what every socket of the node waited.
 */
export const StallOptionsSchema = z
  .object({
    entries: z.coerce.number().int().min(100).max(1_000_000).default(100_000),
    perRecord: z.coerce.number().int().min(1).max(1_000).default(2),
  })
  .strict();

const QUESTIONS = {
  window: (id: string) => `/api/incidents/${id}/timeline/window?limit=2000&buckets=1000`,
  handover: (id: string) => `/api/incidents/${id}/handover`,
  reportDraft: (id: string) => `/api/incidents/${id}/reports/draft`,
} as const;

function config(dataDir: string) {
  return ConfigSchema.parse({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', adminEmail: BENCH_ADMIN.email, adminPassword: BENCH_ADMIN.password, budgetMemberRecordsPerMinute: 100_000_000, budgetIncidentRecordsPerMinute: 100_000_000 });
}

/** One answer, timed, with the longest stall of this process's event loop meanwhile. */
async function ask(server: RunningServer, url: string, token: string): Promise<{ answerMs: number; longestStallMs: number; bytes: number }> {
  const stalls = watchStalls();
  const started = performance.now();
  try {
    const res = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`BENCH_ANSWER: ${url} answered ${res.status}`);
    return { answerMs: Math.round(performance.now() - started), longestStallMs: stalls.stop(), bytes: body.byteLength };
  } finally {
    stalls.stop();
  }
}

export async function runStallBench(raw: Record<string, string>): Promise<object> {
  const opts = StallOptionsSchema.parse(raw);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-stall-bench-'));
  try {
    let server = await startServer(config(dataDir));
    const auth = await BenchAuth.login(server.url);
    const since = new Date(Date.now() - opts.entries * 2_000 - 60_000).toISOString();
    const meta = await server.incidents.create({ title: `Banc reprise — ${opts.entries} entrées`, severity: 'critical', detectedAt: since }, 'bench');
    const reader = await auth.createUser('Lecteur de reprise');
    await auth.setRole(meta.id, reader.id, 'member');
    const seedStart = performance.now();
    await seedManyEntries(server, meta.id, opts.entries, opts.perRecord);
    const seedMs = Math.round(performance.now() - seedStart);
    await server.close();
    const questions: Record<string, object> = {};
    for (const [name, url] of Object.entries(QUESTIONS)) {
      server = await startServer(config(dataDir));
      try {
        const cold = await ask(server, url(meta.id), reader.token);
        const warm = await ask(server, url(meta.id), reader.token);
        questions[name] = { coldAnswerMs: cold.answerMs, coldLongestStallMs: cold.longestStallMs, warmAnswerMs: warm.answerMs, warmLongestStallMs: warm.longestStallMs, answerBytes: cold.bytes };
      } finally {
        await server.close();
      }
    }
    return { bench: 'stall', entries: opts.entries, journalRecords: Math.ceil(opts.entries / opts.perRecord), seedMs, storage: 'sqlite', questions };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
