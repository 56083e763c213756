import { AppError } from '../errors';
import type { AccountStore, UserRecord } from './accountStore';
import type { AuditSink } from './auditSink';
import { requireSession } from './guards';
import type { Principal } from './principal';
import { matchTotp, newTotpSecret, otpauthUrl } from './totp';
import { type TotpSecretBox, openTotpSecret } from './totpSecrets';

/** The second factor of an account: enrolment, confirmation with a first code, withdrawal with a code. */
export class TotpService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditSink,
    private readonly totpBox: TotpSecretBox,
  ) {}

  async beginTotp(principal: Principal): Promise<{ secret: string; otpauthUrl: string }> {
    requireSession(principal);
    if (principal.user.totpEnabled) throw new AppError('CONFLICT', 'TOTP is already enabled; disable it first');
    const secret = newTotpSecret();
    await this.accounts.updateUser(principal.user.id, { totpSecret: this.totpBox.seal(secret, principal.user.id), totpEnabled: false });
    return { secret, otpauthUrl: otpauthUrl(secret, principal.user.email) };
  }

  async enableTotp(principal: Principal, code: string, ip: string | null): Promise<void> {
    requireSession(principal);
    const user = await this.requireUser(principal.user.id);
    const secret = openTotpSecret(this.totpBox, user);
    if (!secret || user.totpEnabled) throw new AppError('CONFLICT', 'start TOTP enrolment first');
    const step = matchTotp(secret, code, new Date(), user.totpLastStep);
    if (step === null) throw new AppError('TOTP_REQUIRED', 'wrong code: check the phone clock');
    await this.accounts.updateUser(user.id, { totpEnabled: true, totpLastStep: step });
    this.audit.record({ actor: user.id, action: 'totp.enable', ip });
  }

  async disableTotp(principal: Principal, code: string, ip: string | null): Promise<void> {
    requireSession(principal);
    const user = await this.requireUser(principal.user.id);
    const secret = openTotpSecret(this.totpBox, user);
    if (!user.totpEnabled || !secret) throw new AppError('CONFLICT', 'TOTP is not enabled');
    const step = matchTotp(secret, code, new Date(), user.totpLastStep);
    if (step === null) throw new AppError('TOTP_REQUIRED', 'wrong or already used code');
    await this.accounts.updateUser(user.id, { totpEnabled: false, totpSecret: null, totpLastStep: step });
    this.audit.record({ actor: user.id, action: 'totp.disable', ip });
  }

  private async requireUser(id: string): Promise<UserRecord> {
    const user = await this.accounts.getUser(id);
    if (!user) throw new AppError('NOT_FOUND', `no user ${id}`);
    return user;
  }
}
