/** What accounts and credentials write to the audit trail (docs/SECURITY.md lists every action). */
export type AuthAuditAction =
  | 'setup.admin'
  | 'setup.link'
  | 'login.ok'
  | 'login.failed'
  | 'login.throttled'
  | 'logout'
  | 'invite.create'
  | 'invite.accept'
  | 'invite.revoke'
  | 'invite.refused'
  /** An invitation made from an incident's Members tab grants its role on acceptance (read by the timeline like the Members tab's own). */
  | 'member.set'
  | 'token.create'
  | 'token.revoke'
  | 'token.use'
  | 'totp.enable'
  | 'totp.disable'
  | 'user.update'
  | 'user.rename'
  | 'socket.refused'
  | 'socket.closed';

export interface AuthAuditEntry {
  /** User id, or null when nobody is authenticated (a failed login). */
  actor: string | null;
  action: AuthAuditAction;
  incidentId?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
}

/**
 * The port through which server/auth records what happened. The composition root plugs the
 * audit trail in (server/audit/auditLog.ts, or an AuditAggregator in front of it for repeated
 * refusals); auth itself never imports server/audit.
 */
export interface AuditSink {
  record(entry: AuthAuditEntry): void;
}
