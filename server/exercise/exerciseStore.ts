import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { type ExerciseState, ExerciseStateSchema } from '../../shared/exercise/exerciseState';
import type { DocumentStore } from '../storage/documentStore';
import { SqliteStore } from '../storage/sqlite/sqliteStore';
import { PostgresStore } from '../storage/postgres/postgresStore';
import { MemoryStore } from '../storage/memory/memoryStore';
import type { MemoryDatabase } from '../storage/memory/memoryDatabase';

/**
 * Where an exercise's server-side state lives (clock, chronogram, observations): one row per
 * exercise in the journal's database (table `exercises`, migration 6), never in a Yjs document,
 * so no player can join it. Every write replaces the row; it resolves once committed.
 */
export interface ExerciseStore {
  get(incidentId: string): Promise<ExerciseState | null>;
  put(state: ExerciseState): Promise<void>;
  /** Every exercise, to resume the clocks that were running when the server stopped. */
  all(): Promise<ExerciseState[]>;
}

const parse = (json: string): ExerciseState => ExerciseStateSchema.parse(JSON.parse(json));

class SqliteExerciseStore implements ExerciseStore {
  constructor(private readonly db: Database.Database) {}
  async get(incidentId: string): Promise<ExerciseState | null> {
    const row = this.db.prepare<[string], { state: string }>('SELECT state FROM exercises WHERE incident_id = ?').get(incidentId);
    return row ? parse(row.state) : null;
  }
  async put(state: ExerciseState): Promise<void> {
    this.db.prepare('INSERT INTO exercises (incident_id, state) VALUES (?, ?) ON CONFLICT (incident_id) DO UPDATE SET state = excluded.state').run(state.incidentId, JSON.stringify(state));
  }
  async all(): Promise<ExerciseState[]> {
    return this.db.prepare<[], { state: string }>('SELECT state FROM exercises ORDER BY incident_id').all().map((r) => parse(r.state));
  }
}

class PostgresExerciseStore implements ExerciseStore {
  constructor(private readonly pool: Pool) {}
  async get(incidentId: string): Promise<ExerciseState | null> {
    const { rows } = await this.pool.query<{ state: string }>('SELECT state FROM exercises WHERE incident_id = $1', [incidentId]);
    return rows[0] ? parse(rows[0].state) : null;
  }
  async put(state: ExerciseState): Promise<void> {
    await this.pool.query('INSERT INTO exercises (incident_id, state) VALUES ($1, $2) ON CONFLICT (incident_id) DO UPDATE SET state = EXCLUDED.state', [state.incidentId, JSON.stringify(state)]);
  }
  async all(): Promise<ExerciseState[]> {
    const { rows } = await this.pool.query<{ state: string }>('SELECT state FROM exercises ORDER BY incident_id');
    return rows.map((r) => parse(r.state));
  }
}

/** Handles on one MemoryDatabase share its exercises, as nodes share a PostgreSQL table. */
const memoryTables = new WeakMap<MemoryDatabase, Map<string, string>>();

class MemoryExerciseStore implements ExerciseStore {
  private readonly rows: Map<string, string>;
  constructor(database: MemoryDatabase) {
    let rows = memoryTables.get(database);
    if (!rows) memoryTables.set(database, (rows = new Map()));
    this.rows = rows;
  }
  async get(incidentId: string): Promise<ExerciseState | null> {
    const row = this.rows.get(incidentId);
    return row === undefined ? null : parse(row);
  }
  async put(state: ExerciseState): Promise<void> {
    this.rows.set(state.incidentId, JSON.stringify(ExerciseStateSchema.parse(state)));
  }
  async all(): Promise<ExerciseState[]> {
    return [...this.rows.values()].map(parse);
  }
}

/** The exercise store on the journal store's own connection (one file or schema to back up). */
export function openExerciseStore(store: DocumentStore): ExerciseStore {
  if (store instanceof SqliteStore) return new SqliteExerciseStore(store.sharedConnection());
  if (store instanceof PostgresStore) return new PostgresExerciseStore(store.sharedPool());
  if (store instanceof MemoryStore) return new MemoryExerciseStore(store.database);
  throw new Error(`no exercise store for a ${store.kind} document store of an unknown class`);
}
