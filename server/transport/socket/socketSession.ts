import type { Socket } from 'socket.io';
import type { DocName } from '../../../shared/model/parts';
import type { SocketIdentity } from '../../auth/socket/socketAuth';
import type { AuditCounters } from '../../policy/socketAccess';

/** What the server knows about one connection, kept on socket.data: who (set by the auth middleware), what it joined. */
export interface SessionData extends SocketIdentity {
  joined: Set<DocName>;
  audit: AuditCounters;
  /** Leaves every document of an incident this socket joined (its access to the incident ended). */
  leaveIncident: (incidentId: string) => Promise<void>;
}

export function session(socket: Socket): SessionData {
  return socket.data as SessionData;
}
