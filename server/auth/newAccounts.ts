import { newId } from '../../shared/model/ids';
import { AppError } from '../errors';
import { AccountStore, DuplicateAccountError, DuplicateNameError, UserRecord } from './accountStore';
import { nameTaken } from './names/displayNames';
import { hashPassword } from './passwords';
import { principalUser, type Principal } from './principal';
import { hashSecret, newSecret } from './secrets';

export interface NewSession {
  principal: Principal;
  /** The cookie value: shown to the browser once, never stored. */
  secret: string;
  expiresAt: Date;
}

/** Creates an account (set-up, environment, invitation): CONFLICT for a taken e-mail, NAME_TAKEN for a taken name. */
export async function createAccount(accounts: AccountStore, fields: { email: string; displayName: string; password: string; isAdmin: boolean }, now: Date): Promise<UserRecord> {
  const user: UserRecord = {
    id: newId(),
    email: fields.email,
    displayName: fields.displayName,
    passwordHash: await hashPassword(fields.password),
    isAdmin: fields.isAdmin,
    disabled: false,
    totpSecret: null,
    totpEnabled: false,
    totpLastStep: 0,
    createdAt: now,
  };
  try {
    await accounts.createUser(user);
  } catch (err) {
    if (err instanceof DuplicateAccountError) throw new AppError('CONFLICT', err.message);
    if (err instanceof DuplicateNameError) throw nameTaken(fields.displayName);
    throw err;
  }
  return user;
}

/** A new login session of `user`; the store keeps only the secret's hash. */
export async function openSession(accounts: AccountStore, user: UserRecord, ip: string | null, now: Date, ttlHours: number): Promise<NewSession> {
  const secret = newSecret();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  const idHash = hashSecret(secret);
  await accounts.createSession({ idHash, userId: user.id, createdAt: now, expiresAt, ip });
  return { principal: { user: principalUser(user), via: 'session', credential: idHash, expiresAt }, secret, expiresAt };
}
