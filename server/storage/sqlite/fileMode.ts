import fs from 'node:fs';
import path from 'node:path';

/**
 * The database holds the journal, the accounts and the audit trail: it is readable by the
 * server's user only (0600), like the signing key. The file is created empty with that mode
 * before SQLite opens it, whatever the umask; SQLite gives its -wal and -shm files the mode of
 * the database file. Files found wider (made by an older version) are tightened, and `warn`
 * says so.
 */
export function ownerOnlyDatabaseFile(file: string, warn: (message: string) => void = () => undefined): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    let mode: number;
    try {
      mode = fs.statSync(f).mode & 0o777;
    } catch {
      continue;
    }
    if ((mode & 0o077) !== 0) {
      fs.chmodSync(f, mode & 0o700);
      warn(`database file ${f} was readable by others (mode ${mode.toString(8)}); set to ${(mode & 0o700).toString(8)}`);
    }
  }
}
