import path from 'node:path';
import type { Config } from '../config';
import type { DocumentStore } from './documentStore';
import { SqliteStore } from './sqlite/sqliteStore';

/** SQLite in DATA_DIR by default; PostgreSQL when DATABASE_URL is set. */
export async function openStore(config: Config): Promise<DocumentStore> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./postgres/postgresStore');
    return PostgresStore.connect(config.databaseUrl);
  }
  return new SqliteStore(path.join(config.dataDir, 'crisis-cell.db'));
}
