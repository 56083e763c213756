import type { CredentialService } from './credentialService';
import type { InvitationService } from './invitationService';
import type { LoginService } from './loginService';
import type { SetupService } from './setupService';
import type { TokenService } from './tokenService';
import type { TotpService } from './totpService';
import type { UserService } from './userService';

/**
 * Accounts and credentials, one service per concern; the composition root (server/app) builds
 * them, the HTTP routes and the socket handshake call them. Every decision is made in them;
 * the HTTP and socket layers only carry credentials in and errors out.
 */
export interface AuthServices {
  setup: SetupService;
  login: LoginService;
  credentials: CredentialService;
  tokens: TokenService;
  invitations: InvitationService;
  totp: TotpService;
  users: UserService;
}
