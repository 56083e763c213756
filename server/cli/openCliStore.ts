import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { type Config, configFromEnv } from '../config';
import type { Logger } from '../logger';
import type { DocumentStore } from '../storage/documentStore';
import { isMemoryDatabaseUrl, openStore } from '../storage/openStore';
import { UsageError } from './io';

export interface CliContext {
  config: Config;
  store: DocumentStore;
  logger: Logger;
}

/**
 * The store the server uses, from the same environment (DATA_DIR or DATABASE_URL, parsed by
 * server/config.ts). A missing SQLite file is an error, not a new empty database: a mistyped
 * DATA_DIR must not "verify" an empty journal. Logs go to stderr, never into an export on stdout.
 */
export async function openCliStore(env: NodeJS.ProcessEnv): Promise<CliContext> {
  let config: Config;
  try {
    config = configFromEnv(env);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  // A new, empty journal in memory has nothing to verify or export.
  if (isMemoryDatabaseUrl(config.databaseUrl)) throw new UsageError('DATABASE_URL=memory: is the memory of a running server, out of reach of this command: point it at the server\'s DATA_DIR or PostgreSQL');
  if (!config.databaseUrl) {
    const file = path.join(config.dataDir, 'crisis-cell.db');
    if (!fs.existsSync(file)) throw new UsageError(`no database at ${file}: set DATA_DIR to the server's data folder (or DATABASE_URL)`);
  }
  const logger = pino({ level: env.LOG_LEVEL && env.LOG_LEVEL !== 'info' ? env.LOG_LEVEL : 'warn', base: { tool: 'crisis-cell-cli' } }, pino.destination(2));
  const store = await openStore({ ...config, nodeId: config.nodeId ?? 'cli' }, logger);
  return { config, store, logger };
}
