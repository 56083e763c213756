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
import type { AccountStore } from '../auth/accountStore';
import type { AuthServices } from '../auth/authServices';
import type { AuthMetrics, AuthSettings } from '../auth/authSettings';
import { sessionCookieName } from '../auth/cookies';
import type { HttpAuthSettings } from '../auth/credentials';
import { CredentialService } from '../auth/credentialService';
import { InvitationService } from '../auth/invitationService';
import { LoginService } from '../auth/loginService';
import { Revocations } from '../auth/revocations';
import { SetupService } from '../auth/setupService';
import { ConnectionRegistry } from '../auth/socket/connectionRegistry';
import { secureSockets } from '../auth/socket/socketAuth';
import { TokenService } from '../auth/tokenService';
import { TotpSecretBox, defaultTotpKeyFile, loadOrCreateTotpKey } from '../auth/totpSecrets';
import { TotpService } from '../auth/totpService';
import { UserService } from '../auth/userService';

/** Accounts, permissions and the audit trail of one node, wired together. */
export interface Security {
  accounts: AccountStore;
  auth: AuthServices;
  audit: AuditLog;
  members: MembershipService;
  bindings: ClientBindings;
  socketAccess: SocketAccess;
  settings: HttpAuthSettings;
  /** Authenticates the sockets of `io` and closes them when their rights end. */
  attachSockets(io: Server): void;
  close(): Promise<void>;
}

/** Where credentials travel, from the configuration: the cookie's name and flags, the proxy, the origins. */
export function httpAuthSettings(config: Config): HttpAuthSettings {
  const cookieSecure = config.cookieSecure ?? (config.publicUrl?.startsWith('https:') ?? false);
  return { cookieName: sessionCookieName(cookieSecure), cookieSecure, trustProxy: config.trustProxy, allowedOrigins: config.allowedOrigins };
}

/** One service per concern of accounts and credentials (server/auth), all writing to `audit`. */
function buildAuth(config: Config, accounts: AccountStore, audit: AuditLog, revocations: Revocations, logger: Logger, publicUrl: () => string, metrics?: Registry): AuthServices {
  const totpKey = loadOrCreateTotpKey(path.resolve(config.totpKeyFile ?? defaultTotpKeyFile(config.dataDir)), (message) => logger.warn(message));
  const totpBox = new TotpSecretBox(totpKey);
  const authMetrics: AuthMetrics = {
    passwordChecks: metrics
      ? new Counter({ name: 'crisis_password_checks_total', help: 'Password hashes verified at login (the throttle rations them)', registers: [metrics] })
      : { inc: () => undefined },
  };
  const settings: AuthSettings = {
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
    adminName: config.adminName,
    get publicUrl() {
      return publicUrl();
    },
    sessionTtlHours: config.sessionTtlHours,
    inviteTtlHours: config.inviteTtlHours,
    setupLinkMinutes: config.setupLinkMinutes,
  };
  return {
    setup: new SetupService(accounts, audit, settings, logger, totpBox),
    login: new LoginService(accounts, audit, revocations, settings, totpBox, authMetrics),
    credentials: new CredentialService(accounts, audit),
    tokens: new TokenService(accounts, audit, revocations),
    invitations: new InvitationService(accounts, audit, settings),
    totp: new TotpService(accounts, audit, totpBox),
    users: new UserService(accounts, audit, revocations),
  };
}

export function buildSecurity(config: Config, accounts: AccountStore, incidents: IncidentService, logger: Logger, publicUrl: () => string, metrics?: Registry): Security {
  const settings = httpAuthSettings(config);
  const audit = new AuditLog(accounts, logger);
  const revocations = new Revocations();
  const auth = buildAuth(config, accounts, audit, revocations, logger, publicUrl, metrics);
  const members = new MembershipService(accounts, audit, revocations, logger);
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
    attachSockets(io) {
      secureSockets(io, auth.credentials, refusals, settings);
      registry = new ConnectionRegistry(io, auth.credentials, members, audit, logger, revocations, config.authRecheckSeconds);
    },
    async close() {
      registry?.close();
      refusals.flush();
      await audit.close();
      await accounts.close();
    },
  };
}
