import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { startServer } from '../../server/createServer';
import type { DocumentStore } from '../../server/storage/documentStore';
import { SCHEMA_TOO_NEW, SchemaTooNewError } from '../../server/storage/migrations/schemaVersions';
import { openAccountStore } from '../../server/auth/openAccountStore';
import { verifyJournal } from '../../server/evidence/verify';
import { DOC_PARTS, docName } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { testConfig } from '../helpers/testServer';
import { forgetWorld } from '../helpers/accounts';
import { getIncidentState } from '../helpers/sessions';
import { REPO_ROOT } from '../helpers/serverProcess';
import { describeWithService } from '../helpers/services';
import { cli } from '../timeline/helpers/cli';
import { ALL_VERSIONS, type Backend, LATEST, postgresBackend, sqliteBackend } from './schemaBackends';

/**
 * Schema versions on both backends: a fresh database gets the latest version, a second start
 * changes nothing, a database written before versions (test/fixtures/schema-v0, made by the code
 * of 3fa0839) upgrades with every row kept and its journal still verifying, a newer schema is
 * refused unless every migration above what this server knows is marked backward compatible.
 */
async function closed<T>(store: DocumentStore, fn: (s: DocumentStore) => Promise<T>): Promise<T> {
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function describeSchemaVersions(make: () => Backend): void {
  const backend = make();
  afterAll(() => backend.cleanup());

  it('gives a fresh database the latest version, and a second start changes nothing', async () => {
    const target = await backend.fresh();
    const first = await target.open();
    expect(first.schema).toEqual({ from: 0, to: LATEST, latest: LATEST, applied: ALL_VERSIONS, adopted: false });
    await first.close();
    expect(await target.version()).toBe(LATEST);
    const ledger = await target.ledger();
    expect(ledger.map((r) => [r.version, r.name])).toEqual([
      [1, 'journal'],
      [2, 'hash-chain'],
      [3, 'accounts'],
      [4, 'unique-display-names'],
      [5, 'invitation-grants'],
      [6, 'exercises'],
      [7, 'journal-append'],
      [8, 'snapshot-parts'],
    ]);
    const again = await target.open();
    expect(again.schema).toEqual({ from: LATEST, to: LATEST, latest: LATEST, applied: [], adopted: false });
    await again.close();
    expect(await target.migrateWith([])).toMatchObject({ from: LATEST, to: LATEST, applied: [] });
    expect(await target.ledger()).toEqual(ledger);
  });

  it('upgrades a database written before schema versions: every row kept, the journal still verifies', async () => {
    const { target, facts } = await backend.fixture();
    const reference = await backend.fresh();
    await (await reference.open()).close();

    const store = await target.open();
    expect(store.schema).toEqual({ from: 0, to: LATEST, latest: LATEST, applied: ALL_VERSIONS, adopted: true });
    await closed(store, async (s) => {
      const heads = (await s.journalHeads()).filter((h) => h.doc.startsWith(`${facts.incident}:`));
      expect(Object.fromEntries(heads.map((h) => [h.doc.split(':')[1], h.seq]))).toEqual({ meta: 1, log: facts.logEntries, tasks: facts.tasks, decisions: facts.decisions });
      const report = await verifyJournal(s);
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.documents.reduce((n, d) => n + d.checkpoints, 0)).toBe(heads.length);
      const accounts = await openAccountStore(s);
      expect(await accounts.listUsers()).toHaveLength(facts.users);
      expect(await accounts.listMembers(facts.incident)).toHaveLength(facts.users);
    });
    // The same tables, columns, indexes and triggers as a database created by this version.
    const shape = await target.shape();
    expect(shape.filter((s) => s.startsWith('trigger')).length).toBeGreaterThan(4);
    expect(shape).toEqual(await reference.shape());

    // A real server on it: the administrator of then still logs in, the incident reads back whole.
    const server = await startServer(testConfig({ ...target.config, checkpointIntervalSeconds: 0 }));
    try {
      const state = await getIncidentState(server.url, facts.incident);
      expect(state.log).toHaveLength(facts.logEntries);
      expect(state.tasks).toHaveLength(facts.tasks);
      expect(state.decisions).toHaveLength(facts.decisions);
    } finally {
      forgetWorld(server.url);
      await server.close();
    }
    // `crisis-cell verify`, as an operator would run it after the upgrade.
    const verify = await cli(['verify'], target.env);
    expect(verify.stderr).not.toMatch(/problem|mismatch|fail/i);
    expect(verify.code).toBe(0);
    const reopened = await target.open();
    expect(reopened.schema.applied).toEqual([]);
    await reopened.close();
  });

  it('refuses to start on a newer schema whose migration is not backward compatible, changing nothing', async () => {
    const target = await backend.fresh();
    await (await target.open()).close();
    expect(await target.migrateWith([{ backwardCompatible: false }])).toMatchObject({ from: LATEST, to: LATEST + 1, applied: [LATEST + 1] });
    const before = await target.ledger();

    const refused = await target.open().then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(SchemaTooNewError);
    expect(refused).toMatchObject({ code: SCHEMA_TOO_NEW, found: LATEST + 1, latest: LATEST });
    expect((refused as Error).message).toBe(`database schema is version ${LATEST + 1}, this server knows up to ${LATEST} (migration ${LATEST + 1} "newer-1" is not backward compatible): upgrade the server, or restore a backup`);
    await expect(startServer(testConfig(target.config))).rejects.toMatchObject({ code: SCHEMA_TOO_NEW });
    const verify = await cli(['verify'], target.env);
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toContain(`crisis-cell verify: database schema is version ${LATEST + 1}, this server knows up to ${LATEST}`);
    expect(await target.version()).toBe(LATEST + 1);
    expect(await target.ledger()).toEqual(before);
  });

  it('runs beside a newer schema whose migrations are all backward compatible (a rolling upgrade)', async () => {
    const target = await backend.fresh();
    await (await target.open()).close();
    await target.migrateWith([{ backwardCompatible: true }, { backwardCompatible: true }]);
    const store = await target.open();
    expect(store.schema).toEqual({ from: LATEST + 2, to: LATEST + 2, latest: LATEST, applied: [], adopted: false });
    await closed(store, async (s) => {
      const doc = docName(newId(), DOC_PARTS[1]);
      expect((await s.append(doc, [{ author: 'a', at: new Date(), update: new Uint8Array([1]) }])).map((r) => r.seq)).toEqual([1]);
    });
    expect(await target.version()).toBe(LATEST + 2);
  });

  it('refuses a newer schema when any migration above what it knows is not compatible, naming it', async () => {
    const target = await backend.fresh();
    await (await target.open()).close();
    await target.migrateWith([{ backwardCompatible: false }, { backwardCompatible: true }]);
    await expect(target.open()).rejects.toThrow(`database schema is version ${LATEST + 2}, this server knows up to ${LATEST} (migration ${LATEST + 1} "newer-1" is not backward compatible)`);
  });
}

describe('schema versions: SQLite', () => {
  describeSchemaVersions(sqliteBackend);

  it('a too-new schema stops `npm start` with the message alone, no stack', async () => {
    const target = await sqliteBackend().fresh();
    await (await target.open()).close();
    await target.migrateWith([{ backwardCompatible: false }]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...target.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    fs.rmSync(target.config.dataDir!, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`database schema is version ${LATEST + 1}, this server knows up to ${LATEST} (migration ${LATEST + 1} "newer-1" is not backward compatible): upgrade the server, or restore a backup`);
  });
});

describeWithService('PostgreSQL', 'schema versions: PostgreSQL', () => {
  describeSchemaVersions(postgresBackend);

  it('nodes starting together on a fresh schema migrate it once', async () => {
    const backend = postgresBackend();
    try {
      const target = await backend.fresh();
      const stores = await Promise.all(Array.from({ length: 4 }, () => target.open()));
      await Promise.all(stores.map((s) => s.close()));
      expect(stores.map((s) => s.schema.applied.length).sort()).toEqual([0, 0, 0, LATEST]);
      expect((await target.ledger()).map((r) => r.version)).toEqual(ALL_VERSIONS);
    } finally {
      await backend.cleanup();
    }
  });
});
