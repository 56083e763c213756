import type { DocName } from '../../shared/model/parts';
import { DocumentRoom, RoomDeps } from './room';

/**
 * The rooms loaded on this node. Loads each document once however many ask at the same time,
 * and unloads a room that has had no session and nothing to commit for `idleMs`.
 */
export class RoomRegistry {
  private readonly loading = new Map<DocName, Promise<DocumentRoom>>();
  private readonly ready = new Map<DocName, DocumentRoom>();
  private readonly idleTimers = new Map<DocName, NodeJS.Timeout>();

  constructor(
    private readonly deps: RoomDeps,
    private readonly idleMs: number,
  ) {}

  async get(name: DocName): Promise<DocumentRoom> {
    const room = this.ready.get(name) ?? (await this.load(name));
    this.scheduleIdleCheck(name);
    return room;
  }

  /** A room already in memory, or undefined; never loads. */
  peek(name: DocName): DocumentRoom | undefined {
    return this.ready.get(name);
  }

  /** The rooms in memory, without loading any. */
  loaded(): DocumentRoom[] {
    return [...this.ready.values()];
  }

  async closeAll(): Promise<void> {
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
    await Promise.allSettled([...this.loading.values()]);
    const rooms = [...this.ready.values()];
    this.ready.clear();
    await Promise.all(rooms.map((r) => r.close()));
  }

  scheduleIdleCheck(name: DocName): void {
    const previous = this.idleTimers.get(name);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => void this.unloadIfIdle(name), this.idleMs);
    timer.unref();
    this.idleTimers.set(name, timer);
  }

  private load(name: DocName): Promise<DocumentRoom> {
    let pending = this.loading.get(name);
    if (!pending) {
      pending = DocumentRoom.load(name, this.deps).then(
        (room) => {
          this.loading.delete(name);
          this.ready.set(name, room);
          return room;
        },
        (err: unknown) => {
          this.loading.delete(name);
          throw err;
        },
      );
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async unloadIfIdle(name: DocName): Promise<void> {
    this.idleTimers.delete(name);
    const room = this.ready.get(name);
    if (!room || room.sessions.size > 0) return;
    if (room.pendingCount > 0) {
      this.scheduleIdleCheck(name);
      return;
    }
    this.ready.delete(name);
    await room.close();
  }
}
