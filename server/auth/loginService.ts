import type { z } from 'zod';
import type { LoginBodySchema } from '../../shared/auth/schemas';
import { AppError } from '../errors';
import type { AccountStore, UserRecord } from './accountStore';
import type { AuditSink } from './auditSink';
import type { AuthMetrics } from './authSettings';
import { LoginThrottle } from './loginThrottle';
import { openSession, type NewSession } from './newAccounts';
import { verifyPassword } from './passwords';
import type { Principal } from './principal';
import type { Revocations } from './revocations';
import { matchTotp } from './totp';
import { type TotpSecretBox, openTotpSecret } from './totpSecrets';

export type LoginInput = z.infer<typeof LoginBodySchema>;

/** Password logins (throttled, with the second factor when enabled) and logouts. */
export class LoginService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditSink,
    private readonly revocations: Revocations,
    private readonly settings: { sessionTtlHours: number },
    private readonly totpBox: TotpSecretBox,
    private readonly metrics: AuthMetrics = { passwordChecks: { inc: () => undefined } },
  ) {
    this.throttle = new LoginThrottle(accounts);
  }

  async login(input: LoginInput, ip: string | null): Promise<NewSession> {
    const now = new Date();
    const accountKey = LoginThrottle.key('account', input.email);
    const addressKey = LoginThrottle.key('address', ip ?? 'unknown');
    // Reserved before the password check, atomically: concurrent guesses count each other.
    const throttled = (waitMs: number) => {
      this.audit.record({ actor: null, action: 'login.throttled', ip, detail: { email: input.email } });
      return new AppError('RATE_LIMITED', 'too many failed logins: try again later', { retryAfterSeconds: Math.ceil(waitMs / 1000) });
    };
    const account = await this.throttle.reserve('account', accountKey, now);
    if (!account.ok) throw throttled(account.waitMs);
    const address = await this.throttle.reserve('address', addressKey, now);
    if (!address.ok) {
      await this.throttle.release('account', accountKey);
      throw throttled(address.waitMs);
    }
    let user: UserRecord | null;
    let passwordOk: boolean;
    try {
      user = await this.accounts.getUserByEmail(input.email);
      this.metrics.passwordChecks.inc();
      passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
    } catch (err) {
      // No verdict on the password (the database away): the attempt must not count as a failure,
      // or an outage would end in lockouts that outlast it.
      await Promise.allSettled([this.throttle.release('account', accountKey), this.throttle.release('address', addressKey)]);
      throw err;
    }
    // The reservations stand as the failure.
    const failed = (reason: string) => this.audit.record({ actor: user?.id ?? null, action: 'login.failed', ip, detail: { email: input.email, reason } });
    if (!user || !passwordOk || user.disabled) {
      failed(!user ? 'unknown account' : !passwordOk ? 'wrong password' : 'account disabled');
      throw new AppError('UNAUTHENTICATED', 'wrong e-mail or password');
    }
    if (user.totpEnabled && user.totpSecret) {
      if (input.totp === undefined) {
        // The right password, the code still to come: no failure.
        await this.throttle.release('account', accountKey);
        await this.throttle.release('address', addressKey);
        throw new AppError('TOTP_REQUIRED', 'enter the code from your authenticator app');
      }
      const secret = openTotpSecret(this.totpBox, user);
      const step = secret === null ? null : matchTotp(secret, input.totp, now, user.totpLastStep);
      if (step === null) {
        failed(secret === null ? 'TOTP secret unreadable with this key' : 'wrong TOTP code');
        throw new AppError('TOTP_REQUIRED', 'wrong or already used code');
      }
      await this.accounts.updateUser(user.id, { totpLastStep: step });
    }
    await this.throttle.clear(accountKey);
    await this.throttle.release('address', addressKey);
    const session = await openSession(this.accounts, user, ip, now, this.settings.sessionTtlHours);
    this.audit.record({ actor: user.id, action: 'login.ok', ip, detail: { totp: user.totpEnabled } });
    return session;
  }

  async logout(principal: Principal, ip: string | null): Promise<void> {
    if (principal.via !== 'session') throw new AppError('BAD_REQUEST', 'an API token is revoked, not logged out');
    await this.accounts.deleteSession(principal.credential);
    this.audit.record({ actor: principal.user.id, action: 'logout', ip });
    this.revocations.emit({ kind: 'credential', credential: principal.credential, code: 'LOGGED_OUT', reason: 'logged out' });
  }
}
