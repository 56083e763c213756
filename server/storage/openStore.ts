import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { DocumentStore } from './documentStore';
import { SqliteStore } from './sqlite/sqliteStore';
import type { PostgresStore } from './postgres/postgresStore';
import { MemoryStore } from './memory/memoryStore';
import type { MemoryDatabase } from './memory/memoryDatabase';
import { describeSchemaReport } from './migrations/schemaVersions';

/** `DATABASE_URL=memory:`: the journal in this process's memory, gone when it stops (tests, demonstrations). */
export const MEMORY_DATABASE_URL = 'memory:';

export function isMemoryDatabaseUrl(url: string | undefined): boolean {
  return url?.trim().toLowerCase() === MEMORY_DATABASE_URL;
}

export interface OpenStoreOptions {
  /**
   * The in-memory database to open a handle on when DATABASE_URL is `memory:`: several servers of
   * one process given the same database share one journal, as nodes sharing PostgreSQL do.
   * Default: a new database of the server's own.
   */
  memoryDatabase?: MemoryDatabase;
}

/**
 * SQLite in DATA_DIR by default; PostgreSQL when DATABASE_URL is set; memory when it is `memory:`.
 * Opening migrates the schema (or refuses one too new, with SchemaTooNewError): the log says what it did.
 */
export async function openStore(config: Config, logger: Logger, options: OpenStoreOptions = {}): Promise<DocumentStore> {
  if (isMemoryDatabaseUrl(config.databaseUrl)) {
    logger.warn('journal and accounts in memory (DATABASE_URL=memory:): nothing survives a restart');
    return new MemoryStore(options.memoryDatabase);
  }
  const store = await open(config, logger);
  const line = describeSchemaReport(store.schema);
  if (line) logger.info({ schema: store.schema }, line);
  return store;
}

async function open(config: Config, logger: Logger): Promise<SqliteStore | PostgresStore> {
  if (config.databaseUrl) {
    // Loaded on demand: a SQLite deployment never loads the PostgreSQL driver.
    const postgres = await import('./postgres/postgresStore');
    return postgres.PostgresStore.connect(config.databaseUrl, {
      ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
      applicationName: `crisis-cell ${config.nodeId ?? ''}`.trim(),
      onError: (err) => logger.warn({ err: err.message }, 'PostgreSQL connection error; the pool reconnects'),
    });
  }
  return new SqliteStore(path.join(config.dataDir, 'crisis-cell.db'), { commitThread: config.journalCommitThread });
}
