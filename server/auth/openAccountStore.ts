import type { DocumentStore } from '../storage/documentStore';
import { SqliteStore } from '../storage/sqlite/sqliteStore';
import { PostgresStore } from '../storage/postgres/postgresStore';
import { MemoryStore } from '../storage/memory/memoryStore';
import type { AccountStore } from './accountStore';
import { SqliteAccountStore } from './sqlite/sqliteAccountStore';
import { PostgresAccountStore } from './postgres/postgresAccountStore';
import { MemoryAccountStore } from './memory/memoryAccountStore';

/**
 * Accounts live in the journal's database, on the journal store's own connection: one file or
 * one schema to back up and restore, and nodes that share a journal share accounts too (an
 * in-process cluster whose nodes open one MemoryDatabase, or one PostgreSQL schema, gets one set
 * of accounts for free).
 */
export async function openAccountStore(store: DocumentStore): Promise<AccountStore> {
  if (store instanceof SqliteStore) return new SqliteAccountStore(store.sharedConnection());
  if (store instanceof PostgresStore) return PostgresAccountStore.on(store.sharedPool());
  if (store instanceof MemoryStore) return new MemoryAccountStore(store);
  throw new Error(`no account store for a ${store.kind} document store of an unknown class: pass overrides.accounts`);
}
