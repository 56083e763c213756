import fs from 'node:fs';
import { z } from 'zod';
import { serviceUrls } from './lib/clusterNodes';
import { buildWebRoot } from '../test/browser/harness';
import { RollingCluster } from '../test/cluster/helpers/rolling';

export const RollingBenchOptionsSchema = z
  .object({
    /** SDK writers (websocket) and REST posters: 20 writers in all by default, as the test. */
    sdk: z.coerce.number().int().min(1).max(200).default(12),
    rest: z.coerce.number().int().min(0).max(200).default(8),
    /** Each writer's pause between an acknowledgement and its next entry (ms): the resolution of the gaps measured. */
    pace: z.coerce.number().int().min(50).max(10_000).default(500),
    /** SHUTDOWN_GRACE_SECONDS of the nodes. */
    grace: z.coerce.number().int().min(1).max(120).default(10),
    /** Log each step on stderr. */
    verbose: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  })
  .strict();

/**
 * The rolling upgrade of test/cluster/rollingUpgrade.test.ts, timed: three compiled nodes (as
 * `npm start` runs them) on a fresh PostgreSQL database and the shared Redis, behind the shipped
 * deploy/nginx.conf run by nginx; SDK and REST writers and three Chromium pages (member,
 * director, management wall) through nginx. Each node is restarted in turn with SIGTERM (the
 * next once every writer and page is served again), then the busiest with kill -9.
 *
 * Reports the longest time any writer was without service (from its last acknowledgement
 * before a restart to its first after it) or any page was not live; the reconvergence after
 * the last restart: from the kill until every client is live again and holds every entry
 * acknowledged before it, and from the killed node's return until every node serves them; and
 * the counts: acknowledged, lost, duplicated, stranded.
 */
export async function runRollingBench(raw: Record<string, string>): Promise<object> {
  const opts = RollingBenchOptionsSchema.parse(raw);
  const { databaseUrl, redisUrl } = serviceUrls();
  const webRoot = buildWebRoot();
  const run = new RollingCluster({
    entry: 'compiled',
    webRoot,
    databaseServerUrl: databaseUrl,
    redisUrl,
    sdkWriters: opts.sdk,
    restWriters: opts.rest,
    paceMs: opts.pace,
    graceSeconds: opts.grace,
    stepTimeoutMs: 60_000,
    ...(opts.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
  });
  try {
    await run.start();
    await run.connect();
    await run.roll();
    const { converged, reason, view } = await run.finish();
    const report = run.report(view);
    return { bench: 'rolling', ...report, converged, ...(converged ? {} : { notConverged: reason }) };
  } finally {
    await run.close();
    fs.rmSync(webRoot, { recursive: true, force: true });
  }
}
