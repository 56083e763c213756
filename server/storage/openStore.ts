import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { DocumentStore } from './documentStore';
import { SqliteStore } from './sqlite/sqliteStore';

/** SQLite in DATA_DIR by default; PostgreSQL when DATABASE_URL is set. */
export async function openStore(config: Config, logger: Logger): Promise<DocumentStore> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres/postgresStore');
    return PostgresStore.connect(config.databaseUrl, {
      ...(config.databaseSchema ? { schema: config.databaseSchema } : {}),
      applicationName: `crisis-cell ${config.nodeId ?? ''}`.trim(),
      onError: (err) => logger.warn({ err: err.message }, 'PostgreSQL connection error; the pool reconnects'),
    });
  }
  return new SqliteStore(path.join(config.dataDir, 'crisis-cell.db'));
}
