import { SCHEMA_MISMATCH, describeSchemaReport, oldestCompatibleServer, pendingMigrations } from '../../server/storage/migrations/schemaVersions';

/**
 * The rules of schema versions, without a database: which migrations a server applies, which
 * recorded ones it refuses, the oldest server a schema allows, and what it says at start-up.
 * (The same rules on SQLite and PostgreSQL databases: schemaVersions.test.ts.)
 */
describe('schema version rules', () => {
  const list = [1, 2, 3].map((version) => ({ version, name: `m${version}`, backwardCompatible: false }));

  it('applies what is missing, in order', () => {
    expect(pendingMigrations(list, 0, []).map((m) => m.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(list, 2, []).map((m) => m.version)).toEqual([3]);
    expect(pendingMigrations(list, 3, [])).toEqual([]);
  });

  it('counts a newer version with no record as not compatible', () => {
    expect(() => pendingMigrations(list, 4, [])).toThrow('database schema is version 4, this server knows up to 3 (migration 4 is not recorded): upgrade the server, or restore a backup');
  });

  it('refuses a database whose recorded migration has another name than this server\'s', () => {
    const recorded = [{ version: 1, name: 'm1', backwardCompatible: false }, { version: 2, name: 'other', backwardCompatible: true }];
    expect(() => pendingMigrations(list, 2, recorded)).toThrow('database schema migration 2 is "other", this server\'s migration 2 is "m2": the database was migrated by another build of the server');
    const thrown = (() => {
      try {
        pendingMigrations(list, 2, recorded);
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(thrown).toMatchObject({ code: SCHEMA_MISMATCH, version: 2 });
  });

  it('refuses a list with a gap or a repeated name', () => {
    expect(() => pendingMigrations([list[0]!, list[2]!], 0, [])).toThrow(/out of order/);
    expect(() => pendingMigrations([list[0]!, { ...list[1]!, name: 'm1' }], 0, [])).toThrow(/used twice/);
  });

  it('names the oldest server that may run on a schema', () => {
    const recorded = [...list, { version: 4, name: 'm4', backwardCompatible: true }, { version: 5, name: 'm5', backwardCompatible: true }];
    expect(oldestCompatibleServer(recorded)).toBe(3);
    expect(oldestCompatibleServer([...recorded, { version: 6, name: 'm6', backwardCompatible: false }])).toBe(6);
  });

  it('says at start-up what opening did to the schema', () => {
    const base = { latest: 3, adopted: false };
    expect(describeSchemaReport({ ...base, from: 0, to: 3, applied: [1, 2, 3] })).toBe('database schema created at version 3');
    expect(describeSchemaReport({ ...base, from: 0, to: 3, applied: [1, 2, 3], adopted: true })).toBe('database schema upgraded from a database from before schema versions to version 3 (migrations 1, 2, 3)');
    expect(describeSchemaReport({ ...base, from: 3, to: 3, applied: [] })).toBeNull();
    expect(describeSchemaReport({ ...base, from: 5, to: 5, applied: [] })).toMatch(/version 5, newer than this server's 3: running on it/);
  });
});
