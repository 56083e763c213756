import { connectFleet, closeFleet } from './fleet';

/** Writers of the throughput bench: append a window of entries, wait until all are durable, repeat. */
process.on('message', (job: { url: string; incidentId: string; writers: number; seconds: number; window: number; base: number }) => {
  void (async () => {
    const fleet = await connectFleet([job.url], job.incidentId, job.writers, Array.from({ length: job.writers }, (_, i) => job.base + i));
    const endAt = Date.now() + job.seconds * 1000;
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
    closeFleet(fleet);
    process.send?.({ acked });
    process.exit(0);
  })().catch((err: unknown) => {
    process.send?.({ error: String(err) });
    process.exit(1);
  });
});
