/**
 * Schema versions, shared by the SQLite and PostgreSQL runners (sqlite/schemaVersion.ts,
 * postgres/schemaVersion.ts). A database holds one version for everything in it (journal,
 * accounts, audit): the number of the last migration applied. Each backend records, per applied
 * migration, its name and whether servers that predate it may keep running on it; that record is
 * what lets a server decide about versions it has never heard of. docs/DEPLOYMENT.md, "Schema
 * versions and upgrades", is the operator's side of these rules.
 */

export interface MigrationInfo {
  /** 1, 2, 3, ... with no gap: the schema version once this migration has run. */
  readonly version: number;
  /** Short, stable, recorded in the database: never rename one that has shipped. */
  readonly name: string;
  /**
   * True when a server that knows only the versions below this one may keep running on the
   * schema it leaves: the migration only adds (tables, nullable columns, indexes) and older code
   * neither breaks on it nor writes data the newer code would misread. False for anything that
   * renames, drops, tightens a constraint, or changes what a row means.
   */
  readonly backwardCompatible: boolean;
}

/** A migration as one backend applies it: `up` runs inside the runner's transaction. */
export interface Migration<Context, Result = void> extends MigrationInfo {
  up(db: Context, now: Date): Result;
}

/** One migration as recorded in a database (perhaps by a newer server than this one). */
export interface AppliedMigration {
  version: number;
  name: string;
  backwardCompatible: boolean;
}

/** What a runner did, for start-up logs and tests. */
export interface SchemaReport {
  /** The version found (0: nothing recorded, a new database or one made before schema versions). */
  from: number;
  /** The version the database is at now (above `latest` on a newer, compatible schema). */
  to: number;
  /** The last version this server knows. */
  latest: number;
  /** Versions applied now, in order. */
  applied: number[];
  /** The database had tables but no recorded version: made by a server before schema versions. */
  adopted: boolean;
}

export const SCHEMA_TOO_NEW = 'SCHEMA_TOO_NEW';

/**
 * The database was migrated by a newer server in a way this one cannot run on. Thrown at start-up,
 * before anything is written; server/main.ts prints the message alone and exits with status 1.
 */
export class SchemaTooNewError extends Error {
  readonly code = SCHEMA_TOO_NEW;
  constructor(
    readonly found: number,
    readonly latest: number,
    /** The first migration above `latest` not marked backward compatible (or with no record). */
    readonly blocking: { version: number; name: string | null },
  ) {
    const which = blocking.name === null ? `migration ${blocking.version} is not recorded` : `migration ${blocking.version} "${blocking.name}" is not backward compatible`;
    super(`database schema is version ${found}, this server knows up to ${latest} (${which}): upgrade the server, or restore a backup`);
    this.name = 'SchemaTooNewError';
  }
}

export const SCHEMA_MISMATCH = 'SCHEMA_MISMATCH';

/**
 * The database records, under a version this server knows, a migration of another name: it was
 * migrated by a different build (two branches that each added "migration 4"). Nothing is applied.
 */
export class SchemaMismatchError extends Error {
  readonly code = SCHEMA_MISMATCH;
  constructor(
    readonly version: number,
    readonly recordedName: string,
    readonly knownName: string,
  ) {
    super(`database schema migration ${version} is "${recordedName}", this server's migration ${version} is "${knownName}": the database was migrated by another build of the server`);
    this.name = 'SchemaMismatchError';
  }
}

/** A list must be 1..n in order with unique names: a slip here would skip or repeat a migration. */
export function checkMigrationList(list: readonly MigrationInfo[]): number {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order: position ${i + 1} holds version ${m.version}`);
    if (list.findIndex((o) => o.name === m.name) !== i) throw new Error(`migration name "${m.name}" used twice`);
  });
  return list.length;
}

/**
 * Which of `known` to apply to a database at version `current`; throws SchemaTooNewError when the
 * database is ahead of this server and some migration above what it knows is not marked
 * backward compatible (a migration with no record counts as not compatible), and
 * SchemaMismatchError when a recorded migration has another name than this server's.
 */
export function pendingMigrations<M extends MigrationInfo>(known: readonly M[], current: number, recorded: readonly AppliedMigration[]): M[] {
  const latest = checkMigrationList(known);
  for (const r of recorded) {
    const mine = known[r.version - 1];
    if (mine && mine.name !== r.name) throw new SchemaMismatchError(r.version, r.name, mine.name);
  }
  if (current <= latest) return known.filter((m) => m.version > current);
  for (let v = latest + 1; v <= current; v++) {
    const row = recorded.find((r) => r.version === v);
    if (!row || !row.backwardCompatible) throw new SchemaTooNewError(current, latest, { version: v, name: row?.name ?? null });
  }
  return [];
}

/**
 * The oldest server (by the last schema version it knows) that may run on a database with these
 * migrations: every migration after what it knows must be backward compatible.
 */
export function oldestCompatibleServer(recorded: readonly AppliedMigration[]): number {
  return recorded.reduce((floor, r) => (r.backwardCompatible ? floor : Math.max(floor, r.version)), 0);
}

/** The start-up log line about the schema, or null when there is nothing to say. */
export function describeSchemaReport(r: SchemaReport): string | null {
  if (r.to > r.latest) return `database schema is version ${r.to}, newer than this server's ${r.latest}: running on it, its newer migrations are backward compatible`;
  if (r.applied.length === 0) return null;
  if (r.from === 0 && !r.adopted) return `database schema created at version ${r.to}`;
  const from = r.adopted ? 'a database from before schema versions' : `version ${r.from}`;
  return `database schema upgraded from ${from} to version ${r.to} (migrations ${r.applied.join(', ')})`;
}
