import type { Server, Socket } from 'socket.io';
import { HandshakeAuthSchema } from '../../../shared/protocol/messages';
import type { AuditSink } from '../auditSink';
import type { CredentialService } from '../credentialService';
import { clientAddress } from '../clientAddress';
import { readCookie } from '../cookies';
import { originAllowed } from '../origins';
import { bearerToken, type HttpAuthSettings } from '../credentials';
import type { Principal } from '../principal';

/** What the handshake established, kept on socket.data beside the transport's own fields. */
export interface SocketIdentity {
  principal: Principal;
  /** The journal author of this connection's updates: the user id. */
  author: string;
  ip: string | null;
}

/**
 * A refused handshake reaches the client as `connect_error` with `data.code`. UNAUTHENTICATED is
 * final (log in again); STORAGE_UNAVAILABLE means "not now" and the client tries again.
 */
function refusal(code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'STORAGE_UNAVAILABLE', message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { data: { code, message } });
}

/**
 * Origin and authentication of every socket, before any data flows. The Origin check runs on
 * the HTTP handshake of engine.io (allowRequest), so a page of another site cannot even open a
 * session (cross-site WebSocket hijacking). Authentication runs in the namespace middleware on
 * every connection and every reconnection (connection-state recovery is off, so nothing skips
 * it): an API token (handshake `auth.token`, or `Authorization: Bearer` in the headers), else
 * the session cookie the browser sends with the handshake.
 */
/** `audit` takes the refused handshakes: an AuditAggregator, so a client retrying cannot grow the trail without bound. */
export function secureSockets(io: Server, auth: Pick<CredentialService, 'fromToken' | 'fromSession'>, audit: AuditSink, settings: HttpAuthSettings): void {
  io.engine.opts.allowRequest = (req, callback) => {
    if (originAllowed(req.headers, settings.allowedOrigins, settings.trustProxy)) return callback(null, true);
    audit.record({ actor: null, action: 'socket.refused', ip: clientAddress(req.headers, req.socket.remoteAddress, settings.trustProxy), detail: { origin: String(req.headers.origin).slice(0, 200) } });
    callback('origin not allowed', false);
  };

  io.use((socket: Socket, next) => {
    const headers = socket.handshake.headers;
    const ip = clientAddress(headers, socket.conn.remoteAddress ?? socket.handshake.address, settings.trustProxy);
    const handshake = HandshakeAuthSchema.safeParse(socket.handshake.auth ?? {});
    if (!handshake.success) {
      next(refusal('UNAUTHENTICATED', 'the handshake does not match the protocol'));
      return;
    }
    const token = handshake.data.token ?? bearerToken(headers.authorization);
    const cookie = readCookie(headers.cookie, settings.cookieName);
    const lookup = token !== undefined && token !== null ? auth.fromToken(token, ip) : cookie !== null ? auth.fromSession(cookie) : Promise.resolve(null);
    lookup.then(
      (principal) => {
        if (!principal) {
          audit.record({ actor: null, action: 'socket.refused', ip, detail: { reason: token ? 'invalid token' : cookie ? 'invalid session' : 'no credentials' } });
          next(refusal('UNAUTHENTICATED', 'log in first'));
          return;
        }
        const identity: SocketIdentity = { principal, author: principal.user.id, ip };
        Object.assign(socket.data, identity);
        forgetCredentials(socket);
        next();
      },
      () => next(refusal('STORAGE_UNAVAILABLE', 'credentials could not be checked now: try again')),
    );
  });
}

/**
 * The token or session secret has done its job once the principal is established (the periodic
 * re-check works from the principal's credential id). socket.io keeps the handshake for the
 * connection's life; without this, a heap snapshot or core dump of the server would hold the
 * secret of every connected user.
 */
function forgetCredentials(socket: Socket): void {
  const handshake = socket.handshake as { auth: Record<string, unknown>; headers: Record<string, unknown> };
  handshake.auth = {};
  delete handshake.headers.authorization;
  delete handshake.headers.cookie;
}
