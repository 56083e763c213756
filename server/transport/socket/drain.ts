import type { Server, Socket } from 'socket.io';
import { DrainNotice, EVENTS } from '../../../shared/protocol/messages';

/** The widest spread of the reconnection delays a drain hands out. */
export const DRAIN_SPREAD_MAX_MS = 2_000;

/**
 * The socket half of a graceful stop: every connected socket is told to reconnect elsewhere,
 * each after its own random delay within `spreadMs`, so a whole cell does not land on the
 * remaining nodes in the same instant. Resolves when all have gone or `waitMs` has passed, with
 * how many are still there (the caller disconnects them; their clients reconnect by themselves).
 */
export function drainSockets(io: Server, spreadMs: number, waitMs: number): Promise<number> {
  const sockets: Socket[] = [...io.of('/').sockets.values()];
  const stillThere = () => sockets.filter((s) => s.connected).length;
  if (sockets.length === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(stillThere());
    };
    const timer = setTimeout(finish, waitMs);
    for (const socket of sockets) {
      socket.once('disconnect', () => {
        if (stillThere() === 0) finish();
      });
      const notice: DrainNotice = { reconnectAfterMs: Math.floor(Math.random() * spreadMs) };
      socket.emit(EVENTS.draining, notice);
    }
  });
}
