import fs from 'node:fs';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import * as Y from 'yjs';
import { onTeardown } from '../helpers/testServer';
import { describeWithService, postgresUrl, redisUrl } from '../helpers/services';
import { browserSuite, buildWebRoot } from '../browser/harness';
import { runCli } from '../../server/cli/runCli';
import { LogDoc } from '../../shared/docs/logDoc';
import { docName } from '../../shared/model/parts';
import { exclusiveCluster } from './helpers/clusterLock';
import { nginxSuite } from './helpers/nginxSuite';
import { RollingCluster } from './helpers/rolling';
import { expectedTail, isTailOf } from './helpers/rollingLogs';

/** Seconds a node may take to drain on SIGTERM (docker-compose.yml's default). */
const GRACE_SECONDS = 10;

/** Runs a CLI command in-process against the run's database and key, as `npx crisis-cell` on a node would. */
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  const code = await runCli(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: { ...env, LOG_LEVEL: 'silent' },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

describeWithService('PostgreSQL', 'cluster (PostgreSQL)', () => {
  describeWithService('Redis', 'cluster (Redis)', () => {
    nginxSuite('behind the shipped nginx', () => {
      browserSuite('a rolling upgrade', () => {
        exclusiveCluster();
        let webRoot = '';
        beforeAll(() => {
          webRoot = buildWebRoot();
        });
        afterAll(() => fs.rmSync(webRoot, { recursive: true, force: true }));

        it('restarting each node with SIGTERM, then one with kill -9, loses nothing acknowledged, duplicates nothing, strands no page, and every page and node ends equal', async () => {
          const lines: string[] = [];
          const run = new RollingCluster({
            entry: 'source',
            webRoot,
            databaseServerUrl: postgresUrl(),
            redisUrl: redisUrl(),
            sdkWriters: 12,
            restWriters: 8,
            // One entry every 2 s per writer (10 a second in all): the machine also runs Chromium and three nodes.
            paceMs: 2_000,
            graceSeconds: GRACE_SECONDS,
            stepTimeoutMs: 45_000,
            log: (line) => lines.push(line),
          });
          onTeardown(() => run.close());
          const withLog = async <T>(step: () => Promise<T>): Promise<T> => {
            try {
              return await step();
            } catch (err) {
              const nodes = run.nodes.map((n) => `--- ${n.name}\n${n.output().split('\n').slice(-15).join('\n')}`).join('\n');
              throw new Error(`${err instanceof Error ? err.message : String(err)}\n${lines.join('\n')}\n${nodes}`, { cause: err });
            }
          };

          // Chromium logs in through the login page of nginx's address; everyone else connects there too.
          await withLog(() => run.start());
          await withLog(() => run.connect());
          await withLog(() => run.roll());
          const { converged, reason, view } = await withLog(() => run.finish());
          const report = run.report(view);
          // CRISIS_ROLLING_LOG=1: the run's steps and figures (as the bench prints them), for a look at where time goes.
          if (process.env.CRISIS_ROLLING_LOG === '1') console.log(`${lines.join('\n')}\n${JSON.stringify(report)}`);

          // Each SIGTERM was a clean drain; the kill -9 was a kill.
          expect(run.restarts.map((r) => [r.node, r.signal, r.exit.code, r.exit.signal])).toEqual([
            ['node-1', 'SIGTERM', 0, null],
            ['node-2', 'SIGTERM', 0, null],
            ['node-3', 'SIGTERM', 0, null],
            [expect.any(String), 'SIGKILL', null, 'SIGKILL'],
          ]);
          expect(run.load.writers.flatMap((w) => w.errors.map((e) => `${w.name}: ${e}`))).toEqual([]);
          expect(view.pages.flatMap((p) => p.errors)).toEqual([]);

          expect({ lost: report.lost, duplicated: report.duplicated, stranded: report.stranded }).toEqual({ lost: 0, duplicated: 0, stranded: 0 });
          expect(report.acknowledged).toBeGreaterThan(0);
          expect(reason).toBe('');
          expect(converged).toBe(true);

          // Equal state everywhere: every node (REST, straight to the node), every SDK client, every page.
          const reference = view.reference.map((e) => e.id);
          expect(new Set(reference).size).toBe(reference.length);
          for (const a of run.load.acknowledged()) expect(reference).toContain(a.id);
          for (const n of view.nodes) expect({ node: n.name, ids: n.ids }).toEqual({ node: n.name, ids: reference });
          for (const s of view.sdk) expect({ writer: s.name, status: s.status, pending: s.pending, ids: s.ids }).toEqual({ writer: s.name, status: 'live', pending: 0, ids: reference });
          const ordered = expectedTail(view.reference);
          for (const p of view.pages) {
            expect({ page: p.role, status: p.status }).toEqual({ page: p.role, status: 'live' });
            if (p.role === 'wall') {
              expect(p.alerts.some((a) => a.endsWith(run.finalTexts.director))).toBe(true);
            } else {
              expect(p.total).toBe(reference.length);
              expect(isTailOf(p.ids, ordered)).toBe(true);
            }
          }

          // The journal in PostgreSQL is gap-free and replays to exactly that log.
          const db = new Client({ connectionString: run.db.url });
          await db.connect();
          try {
            const rows = (await db.query<{ seq: string; update_bytes: Buffer }>('SELECT seq, update_bytes FROM journal WHERE doc = $1 ORDER BY seq', [docName(run.incidentId, 'log')])).rows;
            expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
            const replay = new Y.Doc();
            for (const r of rows) Y.applyUpdate(replay, new Uint8Array(r.update_bytes));
            expect(new LogDoc(replay).entries().map((e) => e.id)).toEqual(reference);
          } finally {
            await db.end();
          }

          // One checkpoint key for the deployment: what the nodes signed at each drain verifies, under that one key.
          const env = { DATABASE_URL: run.db.url, CHECKPOINT_KEY_FILE: run.keyFile };
          const publicKey = await cli(['public-key'], env);
          expect(publicKey.code).toBe(0);
          const keyId = /key id ([0-9a-f]{16})/.exec(publicKey.stderr)?.[1];
          expect(keyId).toMatch(/^[0-9a-f]{16}$/);
          const verify = await cli(['verify', run.incidentId, '--json'], env);
          expect(verify.code).toBe(0);
          const verdict = JSON.parse(verify.stdout) as { ok: boolean; notes: string[]; documents: Array<{ checkpoints: number }> };
          expect(verdict.ok).toBe(true);
          expect(verdict.documents.reduce((n, d) => n + d.checkpoints, 0)).toBeGreaterThan(0);
          expect(verdict.notes.filter((n) => /signed with key/.test(n)).map((n) => n.replace(/^\d+ checkpoint\(s\) /, ''))).toEqual([`signed with key ${keyId}`]);
        }, 300_000);
      });
    });
  });
});
