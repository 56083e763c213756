import type { Socket } from 'socket.io';
import type { DocName } from '../../../shared/model/parts';

/** What the server knows about one connection, kept on socket.data. */
export interface SessionData {
  author: string;
  joined: Set<DocName>;
}

export function session(socket: Socket): SessionData {
  return socket.data as SessionData;
}
