import fs from 'node:fs';
import path from 'node:path';
import { KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';

/** The server's Ed25519 checkpoint signing key, and how others recognise its public half. */
export interface CheckpointKey {
  readonly file: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Raw 32-byte public key. */
  readonly publicRaw: Buffer;
  /** First 16 hex digits of sha256(raw public key): short enough to print and compare by eye. */
  readonly keyId: string;
  readonly publicPem: string;
}

/** Default place of the key: beside the database, in DATA_DIR. */
export function defaultCheckpointKeyFile(dataDir: string): string {
  return path.join(dataDir, 'checkpoint-key.pem');
}

/**
 * Loads the signing key, generating it at first start. The file holds a PKCS#8 PEM readable by
 * its owner only (0600): a key others can read could sign false checkpoints. A file found with
 * wider permissions is tightened, and `warn` says so. Two processes starting together agree on
 * one key: creation is exclusive, and the loser reads the winner's file.
 */
export function loadOrCreateCheckpointKey(file: string, warn: (message: string) => void = () => undefined): CheckpointKey {
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved)) {
    fs.mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      fs.writeFileSync(resolved, pem, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const mode = fs.statSync(resolved).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(resolved, 0o600);
    warn(`checkpoint key ${resolved} was readable by others (mode ${mode.toString(8)}); set to 0600`);
  }
  const privateKey = createPrivateKey(fs.readFileSync(resolved));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`checkpoint key ${resolved} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  const publicRaw = rawPublicKey(publicKey);
  return { file: resolved, privateKey, publicKey, publicRaw, keyId: keyIdOf(publicRaw), publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function keyIdOf(publicRaw: Uint8Array): string {
  return createHash('sha256').update(publicRaw).digest('hex').slice(0, 16);
}

export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.byteLength !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}
