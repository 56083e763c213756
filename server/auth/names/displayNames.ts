import { z } from 'zod';
import { PersonSchema } from '../../../shared/model/common';
import { displayNameKey } from '../../../shared/auth/displayName';
import { AppError } from '../../errors';
import type { AccountStore } from '../accountStore';

/** `PUT /api/auth/me`: the caller's new display name. */
export const DisplayNameBodySchema = z.object({ displayName: PersonSchema }).strict();

export function nameTaken(name: string): AppError {
  return new AppError('NAME_TAKEN', `the name "${name}" is already used by another account (names are compared without case or accents)`);
}

/**
 * Refuses a display name another account holds (same displayNameKey), `self` excepted. A check
 * ahead of the write, for a clear answer before anything is used up; the unique index on the
 * key is what holds under races (DuplicateNameError).
 */
export async function requireFreeName(accounts: AccountStore, name: string, self: string | null): Promise<void> {
  const key = displayNameKey(name);
  if (!key) throw new AppError('BAD_REQUEST', 'a name needs letters or digits');
  const holder = (await accounts.listUsers()).find((u) => u.id !== self && displayNameKey(u.displayName) === key);
  if (holder) throw nameTaken(name);
}
