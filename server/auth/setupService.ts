import type { z } from 'zod';
import { DEFAULT_ADMIN_NAME, type SetupBodySchema } from '../../shared/auth/schemas';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { AccountStore } from './accountStore';
import type { AuditSink } from './auditSink';
import type { AuthSettings } from './authSettings';
import { createAccount, openSession, type NewSession } from './newAccounts';
import { hashSecret, newSecret } from './secrets';
import { TotpSecretBox, openTotpSecret } from './totpSecrets';

export type SetupInput = z.infer<typeof SetupBodySchema>;

type SetupSettings = Pick<AuthSettings, 'adminEmail' | 'adminPassword' | 'adminName' | 'publicUrl' | 'setupLinkMinutes' | 'sessionTtlHours'>;

/**
 * The first start: the administrator from the environment or a one-time set-up link, the link's
 * use, and sealing the TOTP secrets an older version left in clear.
 */
export class SetupService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditSink,
    private readonly settings: SetupSettings,
    private readonly logger: Logger,
    private readonly totpBox: TotpSecretBox,
  ) {}

  /** Whether the server still waits for its first administrator (`GET /api/auth/status`). */
  async setupRequired(): Promise<boolean> {
    return (await this.accounts.countUsers()) === 0;
  }

  /**
   * TOTP secrets still in clear (written by a version before encryption) are sealed at start.
   * Another node may do the same at the same moment: both write a sealed value of the same
   * secret, either works. Secrets this key cannot open are reported, not touched.
   */
  async sealClearTotpSecrets(): Promise<void> {
    let sealed = 0;
    let unreadable = 0;
    for (const user of await this.accounts.listUsers()) {
      if (user.totpSecret === null) continue;
      if (!TotpSecretBox.isSealed(user.totpSecret)) {
        await this.accounts.updateUser(user.id, { totpSecret: this.totpBox.seal(user.totpSecret, user.id) });
        sealed += 1;
      } else if (openTotpSecret(this.totpBox, user) === null) {
        unreadable += 1;
      }
    }
    if (sealed > 0) this.logger.info({ count: sealed }, 'TOTP secrets found in clear were encrypted');
    if (unreadable > 0) this.logger.error({ count: unreadable }, 'TOTP secrets sealed with another key (TOTP_KEY_FILE differs between nodes?): those users cannot pass TOTP');
  }

  /**
   * First start: with no account at all, creates the administrator from ADMIN_EMAIL and
   * ADMIN_PASSWORD, or else prints a one-time set-up link valid SETUP_LINK_MINUTES.
   * Returns that link (tests and `main` may show it), or null.
   */
  async bootstrap(): Promise<string | null> {
    await this.sealClearTotpSecrets();
    if ((await this.accounts.countUsers()) > 0) return null;
    const now = new Date();
    if (this.settings.adminEmail && this.settings.adminPassword) {
      const fields = { email: this.settings.adminEmail, displayName: this.settings.adminName ?? DEFAULT_ADMIN_NAME, password: this.settings.adminPassword, isAdmin: true };
      const user = await createAccount(this.accounts, fields, now).catch((err: unknown) => {
        // Another node may have created it at the same moment.
        if (err instanceof AppError && err.code === 'CONFLICT') return null;
        throw err;
      });
      if (user) {
        this.audit.record({ actor: user.id, action: 'setup.admin', detail: { email: user.email, from: 'environment' } });
        this.logger.info({ email: user.email }, 'created the administrator account from ADMIN_EMAIL');
      }
      return null;
    }
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + this.settings.setupLinkMinutes * 60_000);
    await this.accounts.createInvitation({ hash: hashSecret(secret), kind: 'setup', email: null, displayName: null, isAdmin: true, createdBy: null, createdAt: now, expiresAt, usedAt: null });
    const url = `${this.settings.publicUrl}/setup#token=${secret}`;
    this.audit.record({ actor: null, action: 'setup.link', detail: { expiresAt: expiresAt.toISOString() } });
    // The one place a secret is logged, on purpose: the operator starting the server is who must see it.
    this.logger.warn({ setupUrl: url, expiresAt: expiresAt.toISOString() }, 'no account yet: open this one-time link to create the administrator');
    return url;
  }

  /** Uses the set-up link: the first administrator, logged in at once. */
  async setup(input: SetupInput, ip: string | null): Promise<NewSession> {
    const now = new Date();
    const hash = hashSecret(input.token);
    const invitation = await this.accounts.getInvitation(hash);
    if (!invitation || invitation.kind !== 'setup' || (await this.accounts.countUsers()) > 0 || !(await this.accounts.consumeInvitation(hash, now))) {
      this.audit.record({ actor: null, action: 'invite.refused', ip, detail: { kind: 'setup' } });
      throw new AppError('UNAUTHENTICATED', 'this set-up link is invalid, used or expired');
    }
    const user = await createAccount(this.accounts, { email: input.email, displayName: input.displayName, password: input.password, isAdmin: true }, now);
    this.audit.record({ actor: user.id, action: 'setup.admin', ip, detail: { email: user.email, from: 'setup link' } });
    return openSession(this.accounts, user, ip, now, this.settings.sessionTtlHours);
  }
}
