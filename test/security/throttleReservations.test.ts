import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { SqliteStore } from '../../server/storage/sqlite/sqliteStore';
import { PostgresStore } from '../../server/storage/postgres/postgresStore';
import { openAccountStore } from '../../server/auth/openAccountStore';
import { type AccountStore, type ThrottlePolicy, throttleBlockMs } from '../../server/auth/accountStore';
import type { DocumentStore } from '../../server/storage/documentStore';
import { describeWithService, postgresUrl } from '../helpers/services';

/**
 * The throttle's reservation, store by store: the same answers from SQLite (computed in
 * JavaScript) and PostgreSQL (computed in SQL), and no more attempts than the policy allows
 * when they all arrive at once.
 */
const POLICY: ThrottlePolicy = { freeFailures: 3, baseBlockMs: 2_000, maxBlockMs: 10_000, forgetAfterMs: 60_000 };

function reservationContract(open: () => Promise<AccountStore>): void {
  let store: AccountStore;
  beforeAll(async () => {
    store = await open();
  });

  test('concurrent reservations: exactly the free failures pass, the last of them sets the first block', async () => {
    const now = new Date('2026-03-01T10:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 40 }, () => store.reserveThrottle('account:burst', now, POLICY)));
    expect(results.filter((r) => r.ok)).toHaveLength(POLICY.freeFailures);
    const blocked = results.filter((r): r is { ok: false; blockedUntil: Date } => !r.ok);
    expect(blocked).toHaveLength(40 - POLICY.freeFailures);
    for (const r of blocked) expect(r.blockedUntil.getTime()).toBe(now.getTime() + throttleBlockMs(POLICY.freeFailures, POLICY));
  });

  test('blocks double after each further failure up to the maximum; a quiet spell forgives; release lifts the block under the free count', async () => {
    const key = 'address:10.0.0.1';
    let t = Date.parse('2026-03-01T11:00:00.000Z');
    const blocks: number[] = [];
    for (let failure = 1; failure <= 7; failure++) {
      expect(await store.reserveThrottle(key, new Date(t), POLICY)).toEqual({ ok: true, failures: failure });
      const block = throttleBlockMs(failure, POLICY);
      blocks.push(block);
      if (block > 0) {
        // Refused (and not counted) until the block runs out.
        const refused = await store.reserveThrottle(key, new Date(t + block - 1), POLICY);
        expect(refused).toEqual({ ok: false, blockedUntil: new Date(t + block) });
      }
      t += block + 1;
    }
    expect(blocks).toEqual([0, 0, 2_000, 4_000, 8_000, 10_000, 10_000]);
    // An hour of quiet: counted from one again.
    const later = await store.reserveThrottle(key, new Date(t + POLICY.forgetAfterMs + 1), POLICY);
    expect(later).toEqual({ ok: true, failures: 1 });

    const other = 'address:10.0.0.2';
    const at = new Date('2026-03-01T12:00:00.000Z');
    for (let i = 0; i < POLICY.freeFailures; i++) expect((await store.reserveThrottle(other, at, POLICY)).ok).toBe(true);
    expect((await store.reserveThrottle(other, at, POLICY)).ok).toBe(false);
    await store.releaseThrottle(other, POLICY);
    expect(await store.reserveThrottle(other, at, POLICY)).toEqual({ ok: true, failures: POLICY.freeFailures });
  });
}

describe('SQLite throttle reservations', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crisis-throttle-'));
  let documents: DocumentStore | null = null;
  afterAll(async () => {
    await documents?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  reservationContract(async () => {
    documents = new SqliteStore(path.join(dir, 'crisis-cell.db'));
    return openAccountStore(documents);
  });
});

describeWithService('PostgreSQL', 'PostgreSQL throttle reservations', () => {
  const schema = `t_reserve_${randomBytes(5).toString('hex')}`;
  let documents: DocumentStore | null = null;
  afterAll(async () => {
    await documents?.close();
    const client = new Client({ connectionString: postgresUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });
  reservationContract(async () => {
    documents = await PostgresStore.connect(postgresUrl(), { schema });
    return openAccountStore(documents);
  });
});
