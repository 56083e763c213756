import type { Server, Socket } from 'socket.io';
import { EVENTS } from '../../../shared/protocol/messages';
import type { ErrorCode } from '../../../shared/protocol/errors';
import { parseDocName } from '../../../shared/model/parts';
import type { DocName } from '../../../shared/model/parts';
import type { AuditLog } from '../../audit/auditLog';
import type { Logger } from '../../logger';
import type { MembershipService } from '../../policy/membershipService';
import type { AuthService } from '../authService';
import type { Revocation, Revocations } from '../revocations';
import { docName } from '../../../shared/model/parts';
import { publishedChannel } from '../../reports/publishedView';
import type { SocketIdentity } from './socketAuth';

interface Tracked extends SocketIdentity {
  joined: Set<DocName>;
}

/**
 * Closes sockets whose right to be there ended: at once for a logout, a token revocation, a
 * disabled account or a removal from an incident made on this node; within
 * AUTH_RECHECK_SECONDS for the same done on another node, and for sessions that expired. The
 * client is told why (a doc:error with the code) just before the close.
 */
export class ConnectionRegistry {
  private readonly timer: NodeJS.Timeout;
  private readonly off: () => void;
  private checking = false;

  constructor(
    private readonly io: Server,
    private readonly auth: AuthService,
    private readonly members: MembershipService,
    private readonly audit: AuditLog,
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
      if (r.kind === 'credential' && data.principal.credential === r.credential) this.kick(socket, data, 'UNAUTHENTICATED', r.reason);
      else if (r.kind === 'user' && data.principal.user.id === r.userId) this.kick(socket, data, 'UNAUTHENTICATED', r.reason);
      else if (r.kind === 'membership' && data.principal.user.id === r.userId && joinedIncident(data, r.incidentId)) this.kick(socket, data, 'FORBIDDEN', r.reason, r.incidentId);
      else if (r.kind === 'readRights' && data.principal.user.id === r.userId) {
        // From now on this socket follows the reports part through its published view: no later broadcast carries a draft.
        const doc = docName(r.incidentId, 'reports');
        if (data.joined.has(doc) && socket.rooms.has(doc)) {
          void socket.leave(doc);
          void socket.join(publishedChannel(doc));
        }
      }
    }
  }

  /** Re-validates every socket's credential and the memberships behind what it joined. */
  async recheck(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const [socket, data] of this.sockets()) {
        if (socket.disconnected) continue;
        if (!(await this.auth.stillValid(data.principal))) {
          this.kick(socket, data, 'UNAUTHENTICATED', 'the session or token is no longer valid');
          continue;
        }
        for (const incidentId of new Set([...data.joined].map((d) => parseDocName(d).incidentId))) {
          if ((await this.members.roleOf(incidentId, data.principal.user.id)) === null) {
            this.kick(socket, data, 'FORBIDDEN', 'no longer a member of the incident', incidentId);
            break;
          }
        }
      }
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'socket re-check failed; trying again at the next interval');
    } finally {
      this.checking = false;
    }
  }

  private kick(socket: Socket, data: Tracked, code: ErrorCode, reason: string, incidentId: string | null = null): void {
    if (socket.disconnected) return;
    this.audit.record({ actor: data.principal.user.id, action: 'socket.closed', incidentId, ip: data.ip, detail: { reason } });
    socket.emit(EVENTS.error, { code, message: `connection closed: ${reason}` });
    socket.disconnect(true);
  }
}

function joinedIncident(data: Tracked, incidentId: string): boolean {
  for (const doc of data.joined) if (parseDocName(doc).incidentId === incidentId) return true;
  return false;
}
