import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { connectClient, createIncident, onTeardown, tempDir, waitFor } from '../helpers/testServer';
import { freePort, startServerProcess } from '../helpers/serverProcess';
import { collectRejections, getIncidentState, logIds, sessionChanges, statusChanges } from '../helpers/sessions';
import { docName } from '../../shared/model/parts';
import { LogDoc } from '../../shared/docs/logDoc';
import type { IncidentSession } from '../../client/sdk/incidentSession';
import type { CrisisClient } from '../../client/sdk/crisisClient';

/** Entries a writer appends before waiting for the acknowledgement of the lot. */
const BATCH = 3;

interface Writer {
  name: string;
  client: CrisisClient;
  session: IncidentSession;
  appended: string[];
  acked: string[];
  done: Promise<void>;
}

test('SIGKILL mid-stream loses no acknowledged entry, and clients resend the rest on their own', async () => {
  const dataDir = tempDir('crisis-crash-');
  onTeardown(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  let proc = await startServerProcess({ dataDir, port });
  const url = proc.url;
  const id = await createIncident(url);

  let stop = false;
  const progress = new Set<() => void>();
  const onProgress = (notify: () => void) => {
    progress.add(notify);
    return () => progress.delete(notify);
  };

  const writers: Writer[] = [];
  for (const name of ['Alice', 'Bruno']) {
    const client = connectClient(url, name);
    const session = await client.openIncident(id);
    await session.whenSynced();
    const w: Writer = { name, client, session, appended: [], acked: [], done: Promise.resolve() };
    // Append a batch, wait until the server says it is durable, record it as acknowledged, repeat.
    w.done = (async () => {
      while (!stop) {
        const batch: string[] = [];
        for (let k = 0; k < BATCH; k++) batch.push(session.appendLog({ text: `${name} ${w.appended.length + k}` }).id);
        w.appended.push(...batch);
        await session.whenAcknowledged();
        w.acked.push(...batch);
        for (const notify of progress) notify();
      }
    })();
    writers.push(w);
  }
  const sessions = writers.map((w) => w.session);
  const clients = writers.map((w) => w.client);
  const rejections = collectRejections(...sessions);

  // Let both writers get well into their stream, then kill -9.
  await waitFor(() => writers.every((w) => w.acked.length >= 30), onProgress, 'writers under way');
  const killed = await proc.stop('SIGKILL');
  expect(killed.signal).toBe('SIGKILL');
  const ackedBeforeKill = writers.flatMap((w) => [...w.acked]);

  // The clients notice on their own and keep editing while the server is down.
  await waitFor(() => clients.every((c) => c.status === 'reconnecting'), statusChanges(...clients), 'clients notice the crash');
  for (const w of writers) {
    w.appended.push(w.session.appendLog({ text: `${w.name} pendant la panne 1` }).id, w.session.appendLog({ text: `${w.name} pendant la panne 2` }).id);
  }
  // Every writer has a batch in flight that no one acknowledged, plus the two above.
  for (const w of writers) {
    expect(w.session.pendingCount).toBeGreaterThanOrEqual(2);
    expect(w.appended.length - w.acked.length).toBeGreaterThanOrEqual(2);
  }

  // Restart on the same data and port; nobody calls goOnline().
  proc = await startServerProcess({ dataDir, port });
  await waitFor(() => clients.every((c) => c.status === 'live'), statusChanges(...clients), 'clients reconnect by themselves');
  const ackedAfterRestart = writers.reduce((n, w) => n + w.acked.length, 0);
  await waitFor(() => writers.reduce((n, w) => n + w.acked.length, 0) >= ackedAfterRestart + 12, onProgress, 'writers continue after restart');
  stop = true;
  await Promise.all(writers.map((w) => w.done));
  await waitFor(() => sessions.every((s) => s.pendingCount === 0), sessionChanges(...sessions), 'everything acknowledged');
  expect(rejections).toEqual([]);

  const everything = writers.flatMap((w) => w.appended);
  expect(new Set(everything).size).toBe(everything.length);

  // REST: every acknowledged entry survived the crash, and the resent ones arrived too, once each.
  const state = await getIncidentState(url, id);
  const restIds = state.log.map((e) => e.id);
  expect(restIds).toEqual(expect.arrayContaining(ackedBeforeKill));
  expect(restIds).toHaveLength(everything.length);
  expect([...restIds].sort()).toEqual([...everything].sort());

  // A client that was not there sees the same log.
  const fresh = await connectClient(url, 'Vérificateur').openIncident(id);
  await fresh.whenSynced();
  expect(logIds(fresh)).toEqual(restIds);
  for (const s of sessions) expect(logIds(s)).toEqual(restIds);

  // The journal on disk is gap-free and replays to the same log.
  const db = new Database(path.join(dataDir, 'crisis-cell.db'), { readonly: true, fileMustExist: true });
  let rows: Array<{ seq: number; update_bytes: Buffer }>;
  try {
    rows = db.prepare('SELECT seq, update_bytes FROM journal WHERE doc = ? ORDER BY seq').all(docName(id, 'log')) as typeof rows;
  } finally {
    db.close();
  }
  expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
  const replay = new Y.Doc();
  for (const r of rows) Y.applyUpdate(replay, new Uint8Array(r.update_bytes));
  expect(new LogDoc(replay).entries().map((e) => e.id)).toEqual(restIds);

  // A graceful stop still exits cleanly.
  for (const c of [...clients]) c.close();
  const stopped = await proc.stop('SIGTERM');
  expect(stopped).toEqual({ code: 0, signal: null });
});
