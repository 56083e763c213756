import type { PersonView, TokenView, UserView } from '../../shared/auth/schemas';
import type { TokenRecord } from './accountStore';
import type { PrincipalUser } from './principal';

/** The user list as a caller may see it: every account for an administrator, the people of their incidents otherwise. */
export type UserListEntry = UserView | PersonView;

export function userView(u: PrincipalUser): UserView {
  return { id: u.id, email: u.email, displayName: u.displayName, admin: u.isAdmin, disabled: u.disabled, totpEnabled: u.totpEnabled };
}

export function tokenView(t: TokenRecord): TokenView {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}
