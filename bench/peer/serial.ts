import { CrisisClient } from '../../client/sdk/crisisClient';
import { BenchAuth } from '../lib/auth';
import { LIFTED_WRITE_LIMITS, spawnServer } from '../lib/serverProcess';
import { nowMs } from '../lib/stats';

/**
 * This server's side of the serial writer: one SDK client on one node appending one log entry
 * at a time, each after the previous one's durable ack, for `seconds`: acks per second.
 */
export async function serialAcks(seconds: number): Promise<{ acks: number; seconds: number; acksPerSecond: number }> {
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
    const started = nowMs();
    const endAt = started + seconds * 1000;
    let acks = 0;
    while (nowMs() < endAt) {
      session.appendLog({ text: `Écriture en série ${acks}`, category: 'information' });
      await session.whenAcknowledged();
      acks++;
    }
    const elapsed = (nowMs() - started) / 1000;
    return { acks, seconds: Math.round(elapsed * 10) / 10, acksPerSecond: Math.round(acks / elapsed) };
  } finally {
    client?.close();
    await server.stop();
  }
}
