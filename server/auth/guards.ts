import { AppError } from '../errors';
import type { Principal } from './principal';

export function requireAdmin(principal: Principal): void {
  if (!principal.user.isAdmin) throw new AppError('FORBIDDEN', 'administrators only');
}

/** The second factor is managed with a password session, never with an API token. */
export function requireSession(principal: Principal): void {
  if (principal.via !== 'session') throw new AppError('FORBIDDEN', 'log in with your password to manage the second factor');
}
