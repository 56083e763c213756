import type { z } from 'zod';
import type { InvitationView, InviteAcceptBodySchema, InviteCreateBodySchema } from '../../shared/auth/schemas';
import { AppError } from '../errors';
import type { AccountStore } from './accountStore';
import type { AuditSink } from './auditSink';
import type { AuthSettings } from './authSettings';
import { isPlausibleSecret } from './credentials';
import { requireAdmin } from './guards';
import { requireFreeName } from './names/displayNames';
import { createAccount, openSession, type NewSession } from './newAccounts';
import type { Principal } from './principal';
import { hashSecret, newSecret } from './secrets';

export type InviteInput = z.infer<typeof InviteCreateBodySchema>;
export type InviteAcceptInput = z.infer<typeof InviteAcceptBodySchema>;

/** One-time links that let a person create their account: made by an administrator, used once. */
export class InvitationService {
  constructor(
    private readonly accounts: AccountStore,
    private readonly audit: AuditSink,
    private readonly settings: Pick<AuthSettings, 'publicUrl' | 'inviteTtlHours' | 'sessionTtlHours'>,
  ) {}

  async createInvitation(principal: Principal, input: InviteInput, ip: string | null): Promise<{ url: string; token: string; expiresAt: string }> {
    requireAdmin(principal);
    if (await this.accounts.getUserByEmail(input.email)) throw new AppError('CONFLICT', `an account with ${input.email} exists`);
    if (input.displayName !== undefined) await requireFreeName(this.accounts, input.displayName, null);
    const now = new Date();
    const secret = newSecret();
    const expiresAt = new Date(now.getTime() + (input.expiresInHours ?? this.settings.inviteTtlHours) * 3_600_000);
    await this.accounts.createInvitation({
      hash: hashSecret(secret),
      kind: 'invite',
      email: input.email,
      displayName: input.displayName ?? null,
      isAdmin: input.admin,
      createdBy: principal.user.id,
      createdAt: now,
      expiresAt,
      usedAt: null,
      incidentId: input.incident?.id ?? null,
      incidentRole: input.incident?.role ?? null,
    });
    this.audit.record({ actor: principal.user.id, action: 'invite.create', incidentId: input.incident?.id, ip, detail: { email: input.email, admin: input.admin, expiresAt: expiresAt.toISOString(), ...(input.incident ? { role: input.incident.role } : {}) } });
    return { url: `${this.settings.publicUrl}/invite#token=${secret}`, token: secret, expiresAt: expiresAt.toISOString() };
  }

  /** What the invitation page shows before the person chooses a password. */
  async describeInvitation(secret: string): Promise<{ email: string; displayName: string | null; expiresAt: string }> {
    const invitation = isPlausibleSecret(secret) ? await this.accounts.getInvitation(hashSecret(secret)) : null;
    if (!invitation || invitation.kind !== 'invite' || invitation.usedAt || invitation.expiresAt.getTime() <= Date.now() || !invitation.email) {
      throw new AppError('NOT_FOUND', 'this invitation is invalid, used or expired');
    }
    return { email: invitation.email, displayName: invitation.displayName, expiresAt: invitation.expiresAt.toISOString() };
  }

  async acceptInvitation(input: InviteAcceptInput, ip: string | null): Promise<NewSession> {
    const now = new Date();
    const hash = hashSecret(input.token);
    const invitation = await this.accounts.getInvitation(hash);
    const refuse = () => {
      this.audit.record({ actor: null, action: 'invite.refused', ip, detail: { kind: 'invite' } });
      return new AppError('UNAUTHENTICATED', 'this invitation is invalid, used or expired');
    };
    if (!invitation || invitation.kind !== 'invite' || !invitation.email) throw refuse();
    if (await this.accounts.getUserByEmail(invitation.email)) throw new AppError('CONFLICT', `an account with ${invitation.email} exists`);
    // The administrator names people: the invitee may choose only when the invitation names nobody.
    if (invitation.displayName !== null && input.displayName !== undefined && input.displayName !== invitation.displayName) {
      throw new AppError('FORBIDDEN', 'your name is set by the administrator who invited you: change it once your account exists');
    }
    const displayName = invitation.displayName ?? input.displayName ?? invitation.email;
    // Checked before the link is used up, so a taken name leaves the invitation valid (the unique index still decides a race).
    await requireFreeName(this.accounts, displayName, null);
    if (!(await this.accounts.consumeInvitation(hash, now))) throw refuse();
    const user = await createAccount(this.accounts, { email: invitation.email, displayName, password: input.password, isAdmin: invitation.isAdmin }, now);
    this.audit.record({ actor: user.id, action: 'invite.accept', ip, detail: { email: user.email, invitedBy: invitation.createdBy } });
    // Invited from an incident's Members tab: a member of it at once, with the role chosen then.
    if (invitation.incidentId && invitation.incidentRole) {
      const grantedBy = invitation.createdBy ?? user.id;
      await this.accounts.setMembership({ incidentId: invitation.incidentId, userId: user.id, role: invitation.incidentRole, grantedBy, grantedAt: now });
      this.audit.record({ actor: grantedBy, action: 'member.set', incidentId: invitation.incidentId, ip, detail: { userId: user.id, role: invitation.incidentRole, previous: null, invitation: true } });
    }
    return openSession(this.accounts, user, ip, now, this.settings.sessionTtlHours);
  }

  /** The invitations not yet used nor expired (administrators), oldest first. */
  async listPending(principal: Principal): Promise<InvitationView[]> {
    requireAdmin(principal);
    return (await this.accounts.listPendingInvitations(new Date())).map((i) => ({
      id: i.hash,
      email: i.email ?? '',
      displayName: i.displayName,
      admin: i.isAdmin,
      incident: i.incidentId && i.incidentRole ? { id: i.incidentId, role: i.incidentRole } : null,
      createdBy: i.createdBy,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
    }));
  }

  /** Ends a pending invitation: its link no longer works. NOT_FOUND when it was used, expired or unknown. */
  async revoke(principal: Principal, id: string, ip: string | null): Promise<void> {
    requireAdmin(principal);
    const invitation = await this.accounts.getInvitation(id);
    if (!invitation || invitation.kind !== 'invite' || !(await this.accounts.revokeInvitation(id, new Date()))) throw new AppError('NOT_FOUND', 'no pending invitation with this id (used, expired or revoked)');
    this.audit.record({ actor: principal.user.id, action: 'invite.revoke', incidentId: invitation.incidentId ?? undefined, ip, detail: { email: invitation.email } });
  }
}
