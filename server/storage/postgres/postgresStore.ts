import { Pool, type PoolClient } from 'pg';
import type { DocName } from '../../../shared/model/parts';
import { IncidentMeta, IncidentMetaSchema } from '../../../shared/model/incident';
import type { DocumentStore, JournalHead, JournalRecord, LegacySeal, NewRecord, Snapshot, StoredCheckpoint, StoredDocument } from '../documentStore';
import { GENESIS_HASH } from '../chain';
import { appendIn } from './journalAppend';
import { checkSchemaName, searchPathOption } from './schema';
import { migratePostgres } from './schemaVersion';
import type { SchemaReport } from '../migrations/schemaVersions';
import { KeyedMutex } from '../keyedMutex';
import { StorageError, wrapStorageError } from '../storageError';
import { bytesOf } from '../driverBytes';

export interface PostgresStoreOptions {
  /** A schema of its own, created if missing (tests use a fresh one each). Default: the server's search_path. */
  schema?: string;
  /** Shown in pg_stat_activity, so an operator can tell whose connections these are. Default "crisis-cell". */
  applicationName?: string;
  /**
   * Told about connections that died while idle (e.g. PostgreSQL restarting). Purely informative:
   * the pool drops them and opens new ones on demand, and queries in flight reject on their own.
   */
  onError?: (err: Error) => void;
}

/** Enough for a node's rooms; appends to one document serialise on its doc_heads row anyway. */
const POOL_SIZE = 10;
/** Connections held by document locks (server/policy/updateAdmission.ts takes them for sealed parts only). */
const LOCK_POOL_SIZE = 4;
/** An edit waiting for a lock falls back to the unlocked path this soon when PostgreSQL is away. */
const LOCK_CONNECT_TIMEOUT_MS = 1_000;
/** After a failed lock connection, further attempts fail at once for this long. */
const LOCKS_DOWN_MS = 2_000;
/** First key of this store's advisory locks (the second is the hashed schema and document name). */
const DOC_LOCK_SPACE = 0x43434c;
/** A down or unreachable server must make calls reject (the room retries), not hang. */
const CONNECT_TIMEOUT_MS = 5_000;

/** bigint columns come back as strings: pg will not guess at precision. Seqs stay far below 2^53. */
interface JournalRow {
  seq: string;
  at: Date;
  author: string;
  update_bytes: Buffer;
  hash: Buffer | null;
  prev_hash: Buffer | null;
}

interface CheckpointRow {
  doc: string;
  seq: string;
  head: Buffer;
  signed_at: Date;
  key_id: string;
  public_key: Buffer;
  signature: Buffer;
}

interface SnapshotRow {
  seq: string;
  update_bytes: Buffer;
  state_vector: Buffer;
}

/**
 * The multi-node store: the same contract as SqliteStore on PostgreSQL, so several server nodes
 * can share one journal. There is no reconnect logic here on purpose: when PostgreSQL is down,
 * calls reject and the room retries; when it is back, the pool's new connections just work.
 */
export class PostgresStore implements DocumentStore {
  readonly kind = 'postgres' as const;
  readonly shared = true;
  private closed = false;

  /** Until when lock attempts fail at once, after one could not connect. */
  private locksDownUntil = 0;
  /** One waiter per document in this process, so a queue of edits never holds more than one lock connection. */
  private readonly localLocks = new KeyedMutex();

  private constructor(
    private readonly pool: Pool,
    /** Advisory locks hold their connection while the holder works (and appends through `pool`). */
    private readonly lockPool: Pool,
    /** Part of the lock key: stores in different schemas of one database never block each other. */
    private readonly lockScope: string,
    /** What connecting did to the schema (the account tables included: one version per schema). */
    readonly schema: SchemaReport,
  ) {}

  static async connect(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema === undefined ? null : checkSchemaName(options.schema);
    const settings = {
      connectionString: url,
      // Set per connection at start-up, so every pooled connection, including ones reopened
      // after an outage, sees the same tables; a SET after connect could be missed by some.
      ...(schema === null ? {} : { options: searchPathOption(schema) }),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    };
    const name = options.applicationName ?? 'crisis-cell';
    const pool = new Pool({ ...settings, max: POOL_SIZE, application_name: name });
    const lockPool = new Pool({ ...settings, max: LOCK_POOL_SIZE, connectionTimeoutMillis: LOCK_CONNECT_TIMEOUT_MS, application_name: `${name} (locks)` });
    // Without a listener, an idle connection killed by a server restart is an unhandled
    // 'error' event, which ends the process.
    const onError = options.onError;
    pool.on('error', (err) => onError?.(err));
    lockPool.on('error', (err) => onError?.(err));
    let report: SchemaReport;
    try {
      report = await withTransaction(pool, (client) => migratePostgres(client, schema, new Date()));
    } catch (err) {
      await Promise.all([pool.end(), lockPool.end()]).catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, lockPool, schema ?? '', report);
  }

  lockDocument<T>(doc: DocName, task: () => Promise<T>): Promise<T> {
    return this.localLocks.run(doc, async () => {
      // Edits queued behind a failed attempt fail at once instead of each waiting for a connection.
      if (Date.now() < this.locksDownUntil) throw new StorageError('document locks: PostgreSQL was unreachable a moment ago', undefined, true);
      const client = await this.lockPool.connect().catch((err: unknown) => {
        this.locksDownUntil = Date.now() + LOCKS_DOWN_MS;
        throw wrapStorageError('document locks', err);
      });
      const key = documentLockKey(this.lockScope, doc);
      let broken: Error | undefined;
      try {
        // A session lock: should this connection die, PostgreSQL releases it at once.
        await client.query('SELECT pg_advisory_lock($1, hashtext($2))', key);
        try {
          return await task();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key).catch((err: Error) => {
            broken = err;
          });
        }
      } finally {
        // A connection whose unlock failed is closed, not reused: closing it is what frees the lock.
        client.release(broken);
      }
    });
  }

  async append(doc: DocName, records: NewRecord[]): Promise<JournalRecord[]> {
    if (records.length === 0) return [];
    // One statement, its own transaction: the pool's connection is back as soon as it commits.
    return appendIn(this.pool, doc, records);
  }

  async load(doc: DocName): Promise<StoredDocument> {
    const { rows } = await this.pool.query<SnapshotRow>('SELECT seq, update_bytes, state_vector FROM snapshots WHERE doc = $1', [doc]);
    const row = rows[0];
    const snapshot: Snapshot | null = row ? { seq: Number(row.seq), update: bytesOf(row.update_bytes), stateVector: bytesOf(row.state_vector) } : null;
    // The journal is never trimmed, so reading after the snapshot's seq is consistent even if a
    // newer snapshot lands in between.
    const records = await this.readJournal(doc, snapshot?.seq ?? 0);
    return { snapshot, records };
  }

  async readJournal(doc: DocName, afterSeq: number, limit?: number): Promise<JournalRecord[]> {
    // LIMIT NULL is no limit.
    const { rows } = await this.pool.query<JournalRow>(
      'SELECT seq, at, author, update_bytes, hash, prev_hash FROM journal WHERE doc = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [doc, afterSeq, limit ?? null],
    );
    return rows.map((r) => ({
      doc,
      seq: Number(r.seq),
      at: r.at,
      author: r.author,
      update: bytesOf(r.update_bytes),
      // A row an insider emptied reads as an impossible hash, which verification reports.
      hash: r.hash ? r.hash.toString('hex') : '',
      prevHash: r.prev_hash ? r.prev_hash.toString('hex') : '',
    }));
  }

  async journalHead(doc: DocName): Promise<JournalHead> {
    const { rows } = await this.pool.query<{ seq: string; hash: Buffer | null }>('SELECT seq, hash FROM doc_heads WHERE doc = $1', [doc]);
    const row = rows[0];
    return row ? { doc, seq: Number(row.seq), hash: row.hash ? row.hash.toString('hex') : '' } : { doc, seq: 0, hash: GENESIS_HASH };
  }

  async journalHeads(): Promise<JournalHead[]> {
    const { rows } = await this.pool.query<{ doc: string; seq: string; hash: Buffer | null }>('SELECT doc, seq, hash FROM doc_heads ORDER BY doc');
    return rows.map((r) => ({ doc: r.doc as DocName, seq: Number(r.seq), hash: r.hash ? r.hash.toString('hex') : '' }));
  }

  async saveCheckpoint(c: StoredCheckpoint): Promise<void> {
    await this.pool.query(
      'INSERT INTO checkpoints (doc, seq, head, signed_at, key_id, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [c.doc, c.seq, Buffer.from(c.head, 'hex'), c.signedAt, c.keyId, Buffer.from(c.publicKey, 'base64'), Buffer.from(c.signature, 'base64')],
    );
  }

  async listCheckpoints(doc?: DocName): Promise<StoredCheckpoint[]> {
    const { rows } =
      doc === undefined
        ? await this.pool.query<CheckpointRow>('SELECT * FROM checkpoints ORDER BY signed_at, doc, seq')
        : await this.pool.query<CheckpointRow>('SELECT * FROM checkpoints WHERE doc = $1 ORDER BY signed_at, seq', [doc]);
    return rows.map((r) => ({
      doc: r.doc as DocName,
      seq: Number(r.seq),
      head: r.head.toString('hex'),
      signedAt: r.signed_at,
      keyId: r.key_id,
      publicKey: r.public_key.toString('base64'),
      signature: r.signature.toString('base64'),
    }));
  }

  async legacySeals(): Promise<LegacySeal[]> {
    const { rows } = await this.pool.query<{ doc: string; through_seq: string; sealed_at: Date }>('SELECT * FROM legacy_seals ORDER BY doc');
    return rows.map((r) => ({ doc: r.doc as DocName, throughSeq: Number(r.through_seq), sealedAt: r.sealed_at }));
  }

  async headSeq(doc: DocName): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>('SELECT seq FROM doc_heads WHERE doc = $1', [doc]);
    return rows[0] ? Number(rows[0].seq) : 0;
  }

  async saveSnapshot(doc: DocName, snapshot: Snapshot): Promise<void> {
    // Two nodes may snapshot one document; the newer seq wins whatever the commit order.
    await this.pool.query(
      `INSERT INTO snapshots (doc, seq, update_bytes, state_vector) VALUES ($1, $2, $3, $4)
       ON CONFLICT (doc) DO UPDATE SET seq = excluded.seq, update_bytes = excluded.update_bytes, state_vector = excluded.state_vector
       WHERE excluded.seq > snapshots.seq`,
      [doc, snapshot.seq, snapshot.update, snapshot.stateVector],
    );
  }

  async createIncident(meta: IncidentMeta, first: { doc: DocName } & NewRecord): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await client.query('INSERT INTO incidents (id, meta, opened_at) VALUES ($1, $2, $3)', [meta.id, JSON.stringify(meta), meta.openedAt]);
      await appendIn(client, first.doc, [first]);
    });
  }

  async updateIncidentSummary(meta: IncidentMeta): Promise<void> {
    await this.pool.query('UPDATE incidents SET meta = $1 WHERE id = $2', [JSON.stringify(meta), meta.id]);
  }

  async listIncidents(): Promise<IncidentMeta[]> {
    const { rows } = await this.pool.query<{ meta: unknown }>('SELECT meta FROM incidents ORDER BY opened_at DESC');
    return rows.map((r) => IncidentMetaSchema.parse(r.meta));
  }

  async getIncident(id: string): Promise<IncidentMeta | null> {
    const { rows } = await this.pool.query<{ meta: unknown }>('SELECT meta FROM incidents WHERE id = $1', [id]);
    return rows[0] ? IncidentMetaSchema.parse(rows[0].meta) : null;
  }

  async close(): Promise<void> {
    // pool.end() throws when called twice; close() is idempotent like SqliteStore's.
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.pool.end(), this.lockPool.end()]);
  }

  /** The pool, for the account store that lives in the same schema (server/auth); this store still ends it. */
  sharedPool(): Pool {
    return this.pool;
  }
}

/**
 * The two keys of `doc`'s advisory lock for stores in `schema` ('' for the search_path): this
 * store's lock space, and the text PostgreSQL hashes (hashtext) into the second key. Exported for
 * the tests that look for a waiting holder in pg_locks.
 */
export function documentLockKey(schema: string, doc: DocName): [number, string] {
  return [DOC_LOCK_SPACE, `${schema}:${doc}`];
}

/** Runs `fn` in a transaction on one pooled connection; rolls back and rethrows on failure. */
async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // The pool listens for errors only on idle connections: one lost between two statements of
  // ours would otherwise be an unhandled 'error' event and crash the process.
  let broken = false;
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.off('error', onError);
    // A connection that failed to roll back is in an unknown state: destroy it, don't reuse it.
    client.release(broken);
  }
}
