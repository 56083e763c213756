import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Marks a sealed value; anything else in the column is a clear secret written by an older version. */
const PREFIX = 'enc1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Default place of the key: beside the database, in DATA_DIR (like the checkpoint signing key). */
export function defaultTotpKeyFile(dataDir: string): string {
  return path.join(dataDir, 'totp-key');
}

/**
 * TOTP secrets at rest: AES-256-GCM with a key kept outside the database, so a copy of the
 * database (a backup, a dump handed to a contractor) does not give anyone the second factor of
 * every director. The user id is the authenticated data: a sealed secret opens for its own
 * account only.
 */
export class TotpSecretBox {
  constructor(private readonly key: Buffer) {
    if (key.byteLength !== KEY_BYTES) throw new Error(`a TOTP key is ${KEY_BYTES} bytes`);
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(secret: string, userId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** The clear secret; a value from before encryption is returned as it is. Throws when the key is not the one that sealed it. */
  open(stored: string, userId: string): string {
    if (!TotpSecretBox.isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(userId, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}

/**
 * Loads the key (32 random bytes, base64, one line), generating it at first start. Kept like the
 * checkpoint signing key: a file readable by its owner only (0600), tightened with a warning if
 * found wider; creation is atomic and exclusive, so two processes starting together agree on one key.
 * Nodes sharing one database must be given the same file (TOTP_KEY_FILE).
 */
export function loadOrCreateTotpKey(file: string, warn: (message: string) => void = () => undefined): Buffer {
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved)) {
    fs.mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
    // Written whole under a temporary name, then linked into place (fails if the name exists):
    // a node starting beside another (a shared key volume) reads a complete key or makes one.
    const draft = `${resolved}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(draft, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(draft, resolved);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(draft, { force: true });
    }
  }
  const mode = fs.statSync(resolved).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(resolved, 0o600);
    warn(`TOTP key ${resolved} was readable by others (mode ${mode.toString(8)}); set to 0600`);
  }
  const key = Buffer.from(fs.readFileSync(resolved, 'utf8').trim(), 'base64');
  if (key.byteLength !== KEY_BYTES) throw new Error(`TOTP key ${resolved} is not ${KEY_BYTES} bytes of base64`);
  return key;
}

/** The clear TOTP secret of an account, or null (none, or sealed with another key). */
export function openTotpSecret(box: TotpSecretBox, user: { id: string; totpSecret: string | null }): string | null {
  if (user.totpSecret === null) return null;
  try {
    return box.open(user.totpSecret, user.id);
  } catch {
    return null;
  }
}
