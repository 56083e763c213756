import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PostgresStore } from '../../server/storage/postgres/postgresStore';
import { verifyJournal } from '../../server/evidence/verify';
import { seedTimelineIncident } from '../../bench/lib/seedTimeline';
import { TimelineService } from '../../server/timeline/timelineService';
import { TimelineFilterSchema } from '../../shared/timeline/filter';
import { describeWithService, postgresUrl } from '../helpers/services';
import { recordHashBytes } from '../../server/storage/chain';
import { Writable } from 'node:stream';

/** The same evidence on the multi-node store: chains, timeline and verification on PostgreSQL. */
describeWithService('PostgreSQL', 'Timeline and evidence on PostgreSQL', () => {
  const url = postgresUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let store: PostgresStore;
  let incident: string;

  async function raw(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
    const client = new Client({ connectionString: url, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    store = await PostgresStore.connect(url, { schema });
    incident = (await seedTimelineIncident(store, { logEntries: 300, taskMoves: 40, decisions: 6, spanHours: 2 })).id;
  });

  afterAll(async () => {
    await store?.close();
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('replays the timeline and verifies every chain', async () => {
    const prepared = await new TimelineService(store).prepareExport({ incidentId: incident, format: 'json', filter: TimelineFilterSchema.parse({}), producedBy: 'test', timeZone: 'Europe/Paris' });
    const chunks: Buffer[] = [];
    const trailer = await prepared.write(new Writable({ write: (c: Buffer, _e, done) => void (chunks.push(c), done()) }));
    expect(trailer.integrity.intact).toBe(true);
    const doc = JSON.parse(Buffer.concat(chunks).toString()) as { events: Array<{ kind: string }> };
    expect(doc.events.filter((e) => e.kind.startsWith('log.'))).toHaveLength(300);
    expect((await verifyJournal(store, { incidentId: incident })).ok).toBe(true);
  });

  it('an insider who disables the trigger and rewrites a record is named, even after recomputing that record’s hash', async () => {
    const doc = `${incident}:log`;
    await raw('ALTER TABLE journal DISABLE TRIGGER journal_no_change');
    const [row] = await raw('SELECT at, author, update_bytes, prev_hash FROM journal WHERE doc = $1 AND seq = 120', [doc]);
    const author = 'Quelqu’un d’autre';
    const hash = recordHashBytes({ doc, seq: 120, at: row!.at as Date, author, update: row!.update_bytes as Buffer }, row!.prev_hash as Buffer);
    await raw('UPDATE journal SET author = $2, hash = $3 WHERE doc = $1 AND seq = 120', [doc, author, hash]);
    const report = await verifyJournal(store, { incidentId: incident });
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ doc, seq: 120, kind: 'link' });
  });
});
