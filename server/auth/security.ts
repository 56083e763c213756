import path from 'node:path';
import type { Server } from 'socket.io';
import { Counter, type Registry } from 'prom-client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { IncidentService } from '../incidents/incidentService';
import { AuditLog } from '../audit/auditLog';
import { AuditAggregator } from '../audit/auditAggregator';
import { ClientBindings } from '../policy/clientBindings';
import { RecentLogInserts } from '../policy/logGrace';
import { MembershipService } from '../policy/membershipService';
import { SocketAccess } from '../policy/socketAccess';
import { UpdateAdmission } from '../policy/updateAdmission';
import { UpdateBudgets } from '../policy/updateBudgets';
import type { AccountStore } from './accountStore';
import { AuthService } from './authService';
import { TotpSecretBox, defaultTotpKeyFile, loadOrCreateTotpKey } from './totpSecrets';
import { sessionCookieName } from './cookies';
import type { HttpAuthSettings } from './http/authenticate';
import type { HttpSecurity } from './http/installSecurity';
import { Revocations } from './revocations';
import { ConnectionRegistry } from './socket/connectionRegistry';
import { secureSockets } from './socket/socketAuth';

/** Accounts, permissions and the audit trail of one node, wired together. */
export interface Security {
  accounts: AccountStore;
  auth: AuthService;
  audit: AuditLog;
  members: MembershipService;
  bindings: ClientBindings;
  socketAccess: SocketAccess;
  http: HttpSecurity;
  settings: HttpAuthSettings;
  /** Authenticates the sockets of `io` and closes them when their rights end. */
  attachSockets(io: Server): void;
  close(): Promise<void>;
}

export function createSecurity(config: Config, accounts: AccountStore, incidents: IncidentService, logger: Logger, publicUrl: () => string, metrics?: Registry): Security {
  const cookieSecure = config.cookieSecure ?? (config.publicUrl?.startsWith('https:') ?? false);
  const settings: HttpAuthSettings = {
    cookieName: sessionCookieName(cookieSecure),
    cookieSecure,
    trustProxy: config.trustProxy,
    allowedOrigins: config.allowedOrigins,
  };
  const audit = new AuditLog(accounts, logger);
  const revocations = new Revocations();
  const totpKey = loadOrCreateTotpKey(path.resolve(config.totpKeyFile ?? defaultTotpKeyFile(config.dataDir)), (message) => logger.warn(message));
  const passwordChecks = metrics
    ? new Counter({ name: 'crisis_password_checks_total', help: 'Password hashes verified at login (the throttle rations them)', registers: [metrics] })
    : { inc: () => undefined };
  const auth = new AuthService(
    accounts,
    audit,
    revocations,
    {
      adminEmail: config.adminEmail,
      adminPassword: config.adminPassword,
      adminName: config.adminName,
      get publicUrl() {
        return publicUrl();
      },
      sessionTtlHours: config.sessionTtlHours,
      inviteTtlHours: config.inviteTtlHours,
      setupLinkMinutes: config.setupLinkMinutes,
    },
    logger,
    new TotpSecretBox(totpKey),
    { passwordChecks },
  );
  const members = new MembershipService(accounts, audit, revocations);
  const bindings = new ClientBindings(accounts);
  const admission = new UpdateAdmission(
    bindings,
    new RecentLogInserts(config.logSealGraceSeconds * 1000),
    { aheadMs: config.recordedTimeAheadSeconds * 1000, behindMs: config.recordedTimeBehindSeconds * 1000 },
    new UpdateBudgets(config),
  );
  // Refused joins and handshakes: one row per source per window, whatever a client retries.
  const refusals = new AuditAggregator(audit, config.auditAggregateSeconds * 1000);
  const socketAccess = new SocketAccess(incidents, members, admission, bindings, audit, refusals, config.budgetDocsPerSocket);
  let registry: ConnectionRegistry | null = null;

  return {
    accounts,
    auth,
    audit,
    members,
    bindings,
    socketAccess,
    settings,
    http: { settings, auth, members, audit, incidents },
    attachSockets(io) {
      secureSockets(io, auth, refusals, settings);
      registry = new ConnectionRegistry(io, auth, members, audit, logger, revocations, config.authRecheckSeconds);
    },
    async close() {
      registry?.close();
      refusals.flush();
      await audit.close();
      await accounts.close();
    },
  };
}
