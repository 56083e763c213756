import { connectFleet, closeFleet } from './fleet';
import type { BenchCredential } from './auth';

/** Writers of the throughput bench: append a window of entries, wait until all are durable, repeat. */
process.on('message', (job: { url: string; incidentId: string; credentials: BenchCredential[]; seconds: number; window: number; base: number }) => {
  void (async () => {
    const fleet = await connectFleet([job.url], job.incidentId, job.credentials, Array.from({ length: job.credentials.length }, (_, i) => job.base + i));
    const endAt = Date.now() + job.seconds * 1000;
    const cpuAtStart = process.cpuUsage();
    let acked = 0;
    await Promise.all(
      fleet.map(async (m, i) => {
        while (Date.now() < endAt) {
          for (let k = 0; k < job.window; k++) m.session.appendLog({ text: `Entrée ${i}-${k} ${'x'.repeat(60)}` });
          await m.session.whenAcknowledged();
          acked += job.window;
        }
      }),
    );
    // This process's CPU over the writing (user + system, seconds): whether the writers bound the run rather than the server.
    const used = process.cpuUsage(cpuAtStart);
    closeFleet(fleet);
    process.send?.({ acked, cpuSeconds: (used.user + used.system) / 1e6 });
    process.exit(0);
  })().catch((err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  });
});
