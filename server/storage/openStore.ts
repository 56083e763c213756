import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { DocumentStore } from './documentStore';
import { SqliteStore } from './sqlite/sqliteStore';
import type { PostgresStore } from './postgres/postgresStore';
import { describeSchemaReport } from './migrations/schemaVersions';

/**
 * SQLite in DATA_DIR by default; PostgreSQL when DATABASE_URL is set. Opening migrates the schema
 * (or refuses one too new, with SchemaTooNewError): the log says what it did.
 */
export async function openStore(config: Config, logger: Logger): Promise<DocumentStore> {
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
