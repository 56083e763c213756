import type { Server, Socket } from 'socket.io';
import { EVENTS } from '../../../shared/protocol/messages';
import type { SessionEndCode } from '../../../shared/protocol/errors';
import type { SessionEnd } from '../../../shared/protocol/messages';
import { parseDocName } from '../../../shared/model/parts';
import type { DocName } from '../../../shared/model/parts';
import type { IncidentRole } from '../../../shared/auth/roles';
import type { Logger } from '../../logger';
import type { AuditSink } from '../auditSink';
import type { CredentialService } from '../credentialService';
import type { Revocation, Revocations } from '../revocations';
import { docName } from '../../../shared/model/parts';
import { publishedChannel, readsReportDrafts } from '../../reports/publishedView';
import type { SocketIdentity } from './socketAuth';

/** The port through which the registry re-reads a member's role (server/policy's MembershipService). */
export interface RoleLookup {
  roleOf(incidentId: string, userId: string): Promise<IncidentRole | null>;
}

interface Tracked extends SocketIdentity {
  joined: Set<DocName>;
  /** Set by the socket transport: leaves every document of the incident this socket joined. */
  leaveIncident?: (incidentId: string) => Promise<void>;
}

/**
 * Ends access whose right ended: at once for a logout, a token revocation, a disabled account
 * or a removal from an incident made on this node; within AUTH_RECHECK_SECONDS for the same
 * done on another node, and for sessions that expired. The client is told why first
 * (`session:end { code, message }`), so it knows not to reconnect. A removal from an incident
 * only makes the socket leave that incident's documents: the connection serves the others.
 */
export class ConnectionRegistry {
  private readonly timer: NodeJS.Timeout;
  private readonly off: () => void;
  private checking = false;

  constructor(
    private readonly io: Server,
    private readonly auth: Pick<CredentialService, 'whyEnded'>,
    private readonly members: RoleLookup,
    private readonly audit: AuditSink,
    private readonly logger: Logger,
    revocations: Revocations,
    recheckSeconds: number,
  ) {
    this.off = revocations.on((r) => this.revoke(r));
    this.timer = setInterval(() => void this.recheck(), recheckSeconds * 1000);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.off();
  }

  private sockets(): Array<[Socket, Tracked]> {
    const out: Array<[Socket, Tracked]> = [];
    for (const socket of this.io.of('/').sockets.values()) {
      const data = socket.data as Partial<Tracked>;
      if (data.principal && data.joined) out.push([socket, data as Tracked]);
    }
    return out;
  }

  private revoke(r: Revocation): void {
    for (const [socket, data] of this.sockets()) {
      if (r.kind === 'credential' && data.principal.credential === r.credential) this.kick(socket, data, r.code, r.reason);
      else if (r.kind === 'user' && data.principal.user.id === r.userId) this.kick(socket, data, r.code, r.reason);
      else if (r.kind === 'membership' && data.principal.user.id === r.userId && joinedIncident(data, r.incidentId)) this.removeFromIncident(socket, data, r.reason, r.incidentId);
      else if (r.kind === 'readRights' && data.principal.user.id === r.userId) moveToPublishedView(socket, data, r.incidentId);
    }
  }

  /**
   * Re-validates every socket's credential and the memberships behind what it joined. Within one
   * pass each credential and each membership is asked once: a wall screen's thousand sockets
   * share a few accounts, and the pass reads the accounts as they stand at one moment anyway.
   */
  async recheck(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    const verdicts = new Map<string, Promise<SessionEndCode | null>>();
    const roles = new Map<string, Promise<IncidentRole | null>>();
    const once = <T>(cache: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> => {
      let answer = cache.get(key);
      if (answer === undefined) cache.set(key, (answer = ask()));
      return answer;
    };
    try {
      for (const [socket, data] of this.sockets()) {
        if (socket.disconnected) continue;
        const { principal } = data;
        const ended = await once(verdicts, `${principal.via}\0${principal.credential}\0${principal.user.id}`, () => this.auth.whyEnded(principal));
        if (ended !== null) {
          this.kick(socket, data, ended, 'the session or token is no longer valid');
          continue;
        }
        for (const incidentId of new Set([...data.joined].map((d) => parseDocName(d).incidentId))) {
          const role = await once(roles, `${incidentId}\0${principal.user.id}`, () => this.members.roleOf(incidentId, principal.user.id));
          if (role === null) this.removeFromIncident(socket, data, 'no longer a member of the incident', incidentId);
          // Demoted on another node: its revocation event never reached this one.
          else if (!readsReportDrafts(role)) moveToPublishedView(socket, data, incidentId);
        }
      }
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'socket re-check failed; trying again at the next interval');
    } finally {
      this.checking = false;
    }
  }

  /** Says why, then closes the socket: the client does not reconnect after a reasoned end. */
  private kick(socket: Socket, data: Tracked, code: SessionEndCode, reason: string): void {
    if (socket.disconnected) return;
    this.audit.record({ actor: data.principal.user.id, action: 'socket.closed', incidentId: null, ip: data.ip, detail: { reason, code } });
    const end: SessionEnd = { code, message: `access ended: ${reason}` };
    socket.emit(EVENTS.sessionEnd, end);
    socket.disconnect(true);
  }

  /** Says why, then takes the socket out of the incident's documents; the connection stays. */
  private removeFromIncident(socket: Socket, data: Tracked, reason: string, incidentId: string): void {
    if (socket.disconnected) return;
    this.audit.record({ actor: data.principal.user.id, action: 'socket.closed', incidentId, ip: data.ip, detail: { reason, code: 'REMOVED_FROM_INCIDENT' } });
    const end: SessionEnd = { code: 'REMOVED_FROM_INCIDENT', message: `access to the incident ended: ${reason}`, incidentId };
    socket.emit(EVENTS.sessionEnd, end);
    if (!data.leaveIncident) {
      socket.disconnect(true);
      return;
    }
    data.leaveIncident(incidentId).catch((err: unknown) => {
      this.logger.warn({ err: String(err), socket: socket.id }, 'leaving the documents of an incident failed: closing the socket');
      socket.disconnect(true);
    });
  }
}

function joinedIncident(data: Tracked, incidentId: string): boolean {
  for (const doc of data.joined) if (parseDocName(doc).incidentId === incidentId) return true;
  return false;
}

/** From now on the socket follows the reports part through its published view: no later broadcast carries a draft. */
function moveToPublishedView(socket: Socket, data: Tracked, incidentId: string): void {
  const doc = docName(incidentId, 'reports');
  if (data.joined.has(doc) && socket.rooms.has(doc)) {
    void socket.leave(doc);
    void socket.join(publishedChannel(doc));
  }
}
