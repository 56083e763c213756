import { CrisisClient } from '../../client/sdk/crisisClient';
import { BenchAuth } from '../lib/auth';
import { LIFTED_WRITE_LIMITS, spawnServer } from '../lib/serverProcess';
import { nowMs, summarize } from '../lib/stats';
import { histogramMeanMs, scrapeMetrics, updateStageMeansMs } from '../lib/scrape';

/**
 * This server's side of the serial writer: one SDK client on one node appending one log entry
 * at a time, each after the previous one's durable ack, for `seconds`: acks per second, the ack
 * time, and the mean journal commit (one fsync'd transaction per entry: a serial writer leaves
 * group commit nothing to group), the part of each ack that an in-memory ack does not pay.
 */
export async function serialAcks(seconds: number): Promise<{ acks: number; seconds: number; acksPerSecond: number; ackP50Ms: number | null; commitMeanMs: number | null; updateStagesMeanMs: ReturnType<typeof updateStageMeansMs> }> {
  // A serial writer passes the per-member budget (400 records a minute) within seconds: lifted.
  const server = await spawnServer(LIFTED_WRITE_LIMITS);
  let client: CrisisClient | null = null;
  try {
    const auth = await BenchAuth.login(server.url);
    const incidentId = await auth.createIncident();
    const [writer] = await auth.members(incidentId, ['Rédacteur en série'], 'member');
    client = new CrisisClient({ url: server.url, name: writer!.name, token: writer!.token });
    const session = await client.openIncident(incidentId);
    await session.whenSynced();
    const metricsBefore = await scrapeMetrics(server.url, auth.adminToken);
    const started = nowMs();
    const endAt = started + seconds * 1000;
    const ackMs: number[] = [];
    while (nowMs() < endAt) {
      const t0 = nowMs();
      session.appendLog({ text: `Écriture en série ${ackMs.length}`, category: 'information' });
      await session.whenAcknowledged();
      ackMs.push(nowMs() - t0);
    }
    const elapsed = (nowMs() - started) / 1000;
    const metricsAfter = await scrapeMetrics(server.url, auth.adminToken);
    const commitMeanMs = histogramMeanMs(metricsBefore, metricsAfter, 'crisis_journal_commit_seconds');
    const acks = ackMs.length;
    // Where the server's part of each ack goes; the rest of ackP50Ms is the client and the sockets.
    const updateStagesMeanMs = updateStageMeansMs(metricsBefore, metricsAfter);
    return { acks, seconds: Math.round(elapsed * 10) / 10, acksPerSecond: Math.round(acks / elapsed), ackP50Ms: summarize(ackMs).p50, commitMeanMs, updateStagesMeanMs };
  } finally {
    client?.close();
    await server.stop();
  }
}
