import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { spawnServer } from './lib/serverProcess';
import { memoryMb } from './lib/processStats';
import { seedIncident } from './lib/seedLog';
import { SqliteStore } from '../server/storage/sqlite/sqliteStore';
import { CrisisClient } from '../client/sdk/crisisClient';
import { BenchAuth } from './lib/auth';
import { docName } from '../shared/model/parts';

export const BigdocOptionsSchema = z.object({ entries: z.coerce.number().int().min(1).max(1_000_000).default(100_000) }).strict();

/**
 * A new client fully syncing an incident of 100,000 log entries from a freshly started server:
 * the server serves the stored snapshot bytes as they are, without applying or re-encoding.
 */
export async function runBigdocBench(raw: Record<string, string>): Promise<object> {
  const opts = BigdocOptionsSchema.parse(raw);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-bigdoc-'));
  const seedStarted = performance.now();
  const store = new SqliteStore(path.join(dataDir, 'crisis-cell.db'));
  const incidentId = await seedIncident(store, opts.entries);
  // The log's encoded state as a joiner receives it: the stored snapshot's bytes.
  const encodedBytes = (await store.load(docName(incidentId, 'log'))).snapshot?.update.byteLength ?? 0;
  await store.close();
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const dbMb = fs.statSync(path.join(dataDir, 'crisis-cell.db')).size / 1e6;

  const server = await spawnServer({ DATA_DIR: dataDir });
  try {
    // The seed wrote the incident straight into the store: the administrator (who may manage any
    // incident's members) makes the newcomer a member.
    const auth = await BenchAuth.login(server.url);
    const newcomer = await auth.createUser('Nouvelle arrivée');
    await auth.setRole(incidentId, newcomer.id, 'member');
    const rssBefore = memoryMb(server.pid).rssMb;
    const t0 = performance.now();
    const client = new CrisisClient({ url: server.url, name: newcomer.name, token: newcomer.token });
    const session = await client.openIncident(incidentId);
    await session.whenSynced();
    const syncMs = performance.now() - t0;
    const entries = session.log.length;
    const rssServed = memoryMb(server.pid).rssMb;

    // The first write makes the server apply the document into memory.
    const w0 = performance.now();
    session.appendLog({ text: 'Première écriture après chargement' });
    await session.whenAcknowledged();
    const firstWriteMs = performance.now() - w0;
    const loaded = memoryMb(server.pid);
    client.close();
    return {
      bench: 'bigdoc',
      entries,
      expectedEntries: opts.entries,
      databaseMb: Math.round(dbMb * 10) / 10,
      encodedMb: Math.round(encodedBytes / 1e5) / 10,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      fullSyncMs: Math.round(syncMs),
      serverRssMbAtStart: rssBefore,
      serverRssMbAfterServingSync: rssServed,
      firstWriteMs: Math.round(firstWriteMs),
      serverRssMbLoaded: loaded.rssMb,
      serverPeakRssMb: loaded.peakRssMb,
    };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
