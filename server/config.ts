import path from 'node:path';
import { z } from 'zod';
import { AUTH_CONFIG_SHAPE, authConfigFromEnv } from './env/authEnv';
import { BUDGET_CONFIG_SHAPE, budgetConfigFromEnv } from './env/budgetEnv';

/**
 * All configuration, parsed once at start-up from the environment. Modules receive the parsed
 * object; none reads process.env itself. Each field documents its default.
 */
export const ConfigSchema = z.object({
  /** HTTP port; 0 picks a free one (tests). Default 3000. */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. Default all interfaces. */
  host: z.string().default('0.0.0.0'),
  /** Folder of the embedded SQLite database. Default ./data. */
  dataDir: z.string().default('data'),
  /** PostgreSQL connection string; when set, the journal lives there instead of SQLite. `memory:` keeps it in this process's memory, lost when it stops (server/storage/openStore.ts). */
  databaseUrl: z.string().url().optional(),
  /** PostgreSQL schema of the tables, created if missing (one per tenant or test run). Default: none, the search_path (public). */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _').optional(),
  /** Redis connection string; when set, updates cross nodes through Redis pub/sub. */
  redisUrl: z.string().url().optional(),
  /** Prefix of this deployment's Redis channels, so several deployments (or test runs) can share one Redis. Default "crisis-cell:". */
  redisPrefix: z.string().min(1).max(100).optional(),
  /** This node's name in cross-node messages and logs. Default a random id. */
  nodeId: z.string().min(1).max(64).optional(),
  /** pino level. Default info; tests use silent. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of the built browser client, served at /. Default dist/web. */
  webRoot: z.string().default('dist/web'),
  /**
   * SQLite: commit journal appends on a worker thread (JOURNAL_COMMIT_THREAD=true), so the event
   * loop runs on during the fsync, or on the event loop (false). Default false: on a machine whose
   * CPU is contended, the thread's two extra wake-ups per commit cost more than the fsync they
   * move away (docs/PERFORMANCE.md).
   */
  journalCommitThread: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Seconds an idle document stays in memory after its last client left. Default 60. */
  roomIdleSeconds: z.coerce.number().min(0).default(60),
  /**
   * Seconds between checks that each loaded document has every record of the shared journal
   * (records whose node died before publishing them). Multi-node only (REDIS_URL); 0 disables. Default 2.
   */
  journalWatchSeconds: z.coerce.number().min(0).max(3600).default(2),
  ...AUTH_CONFIG_SHAPE,
  ...BUDGET_CONFIG_SHAPE,
  /** Seconds a log entry's recordedAt (a record's createdAt) may be ahead of the server's clock. Default 120. */
  recordedTimeAheadSeconds: z.coerce.number().min(0).max(3600).default(120),
  /**
   * Seconds it may be behind: an entry written offline (a phone in a ward, a network cut) is sent
   * when the link returns and keeps the time it was written. A day lets a whole shift offline land;
   * older ones go through paper transcription. Default 86,400.
   */
  recordedTimeBehindSeconds: z.coerce.number().min(0).max(7 * 86_400).default(86_400),
  /** Ed25519 key that signs journal checkpoints (PEM, 0600, made at first start). Default DATA_DIR/checkpoint-key.pem. */
  checkpointKeyFile: z.string().min(1).optional(),
  /** Seconds between checkpoint signatures of the documents that changed; 0 signs only on demand and at shutdown. Default 300. */
  checkpointIntervalSeconds: z.coerce.number().min(0).default(300),
  /**
   * Seconds a graceful stop (SIGTERM, SIGINT) may take: stop taking connections, tell clients to
   * reconnect elsewhere, commit what is pending, close. The process exits when it is over even if
   * something hangs. Default 10.
   */
  shutdownGraceSeconds: z.coerce.number().min(1).max(600).default(10),
  /** Folder of the organisation's incident templates (*.json), loaded at start beside the shipped templates/ (same id: this one wins). Default: none. */
  templatesDir: z.string().min(1).optional(),
  /** Folder of the organisation's exercise scenarios (*.json), loaded at start beside the shipped scenarios/ (same id: this one wins). Default: none. */
  scenariosDir: z.string().min(1).optional(),
});
export type Config = z.infer<typeof ConfigSchema>;

export function configFromEnv(env: NodeJS.ProcessEnv): Config {
  const parsed = ConfigSchema.safeParse({
    port: env.PORT,
    host: env.HOST,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_PREFIX || undefined,
    nodeId: env.NODE_ID || undefined,
    logLevel: env.LOG_LEVEL,
    roomIdleSeconds: env.ROOM_IDLE_SECONDS,
    journalCommitThread: env.JOURNAL_COMMIT_THREAD || undefined,
    journalWatchSeconds: env.JOURNAL_WATCH_SECONDS,
    webRoot: env.WEB_ROOT,
    ...authConfigFromEnv(env),
    ...budgetConfigFromEnv(env),
    recordedTimeAheadSeconds: env.RECORDED_TIME_AHEAD_SECONDS,
    recordedTimeBehindSeconds: env.RECORDED_TIME_BEHIND_SECONDS,
    checkpointKeyFile: env.CHECKPOINT_KEY_FILE || undefined,
    checkpointIntervalSeconds: env.CHECKPOINT_INTERVAL_SECONDS,
    templatesDir: env.TEMPLATES_DIR || undefined,
    scenariosDir: env.SCENARIOS_DIR || undefined,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS || undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration (CONFIG_INVALID):\n${lines}`);
  }
  return {
    ...parsed.data,
    dataDir: path.resolve(parsed.data.dataDir),
    webRoot: path.resolve(parsed.data.webRoot),
    ...(parsed.data.templatesDir ? { templatesDir: path.resolve(parsed.data.templatesDir) } : {}),
    ...(parsed.data.scenariosDir ? { scenariosDir: path.resolve(parsed.data.scenariosDir) } : {}),
  };
}
