import type { MemoryDatabase } from '../../storage/memory/memoryDatabase';
import type { AuditRecord, InvitationRecord, MembershipRecord, SessionRecord, ThrottleRecord, TokenRecord, UserRecord } from '../accountStore';

/**
 * The account tables of one in-memory database. Rows are kept as private copies; the unique
 * indexes of the SQL schemas (e-mail, display-name key, token hash) are maps of their own, so a
 * rule holds for every handle at once.
 */
export class MemoryAccountTables {
  readonly users = new Map<string, UserRecord>();
  /** users.email, unique. */
  readonly userByEmail = new Map<string, string>();
  /** users.display_name_key, unique (shared/auth/displayName.ts). */
  readonly userByNameKey = new Map<string, string>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  /** api_tokens.hash, unique. */
  readonly tokenByHash = new Map<string, string>();
  readonly invitations = new Map<string, InvitationRecord>();
  /** Keyed by incident then user, like the (incident_id, user_id) primary key. */
  readonly memberships = new Map<string, Map<string, MembershipRecord>>();
  /** Yjs client id → user, per document. */
  readonly clients = new Map<string, Map<number, string>>();
  /** Keyed by incident then user. */
  readonly lastVisits = new Map<string, Map<string, number>>();
  readonly throttles = new Map<string, ThrottleRecord>();
  /** Append-only; ids from 1, never reused. */
  readonly audit: AuditRecord[] = [];
}

/** One set of account tables per database: every handle on it, every node of the process, sees the same accounts. */
const TABLES = new WeakMap<MemoryDatabase, MemoryAccountTables>();

export function accountTablesOf(database: MemoryDatabase): MemoryAccountTables {
  let tables = TABLES.get(database);
  if (!tables) {
    tables = new MemoryAccountTables();
    TABLES.set(database, tables);
  }
  return tables;
}

/** A copy of a flat record: its Dates are new objects, so neither a caller nor the store can change the other's. */
export function copyRecord<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = isDate(value) ? new Date(value.getTime()) : value;
  return out as T;
}

/** Not instanceof: a Date made in another realm (a jest sandbox) is a Date too. */
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** The audit detail as the SQL stores give it back: JSON, written and read again. */
export function copyDetail(detail: Record<string, unknown> | null): Record<string, unknown> | null {
  return detail === null ? null : (JSON.parse(JSON.stringify(detail)) as Record<string, unknown>);
}

/** Code-unit order, as the SQL stores compare text. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The inner map of a two-level key, made on first use. */
export function innerMap<K, V>(outer: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let inner = outer.get(key);
  if (!inner) {
    inner = new Map();
    outer.set(key, inner);
  }
  return inner;
}

/** The error of a primary key or unique index refusing a second row. */
export function uniqueViolation(table: string, column: string): Error {
  return new Error(`unique constraint failed: ${table}.${column}`);
}
