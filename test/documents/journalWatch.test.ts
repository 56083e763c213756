import { JournalWatch, type WatchedRooms } from '../../server/documents/journalWatch';
import { createLogger } from '../../server/logger';
import { docName, type DocName } from '../../shared/model/parts';

/** A loaded room whose journal head is moved by hand between passes; its catch-up applies up to the head. */
class FakeRoom {
  seq = 0;
  head = 0;
  catchUps = 0;
  /** Set: the next catch-ups fail with it. */
  failing: Error | null = null;
  constructor(readonly name: DocName) {}
  async catchUp(): Promise<void> {
    this.catchUps += 1;
    if (this.failing) throw this.failing;
    this.seq = this.head;
  }
}

/** A watch over `rooms`; `unreadable` holds the rooms whose head the store cannot read at the moment. */
function setUp(...incidents: string[]) {
  const rooms = incidents.map((id) => new FakeRoom(docName(id, 'log')));
  const unreadable = new Set<FakeRoom>();
  const store = {
    async headSeq(doc: DocName): Promise<number> {
      const room = rooms.find((r) => r.name === doc)!;
      if (unreadable.has(room)) throw new Error('connection lost');
      return room.head;
    },
  };
  const watched: WatchedRooms = { loaded: () => rooms };
  return { rooms, unreadable, watch: new JournalWatch(store, watched, createLogger('silent', 'test'), 0) };
}

test('a record whose announcement is on its way when a pass looks is left to the fan-out', async () => {
  const { rooms: [room], watch } = setUp('incident1');
  room!.head = 1;
  await watch.sweep();
  // The publish arrives between the passes, as it does within milliseconds.
  room!.seq = 1;
  room!.head = 2;
  await watch.sweep();
  room!.seq = 2;
  await watch.sweep();
  expect(room!.catchUps).toBe(0);
});

test('a record still missing at the pass after the one that saw it in the journal is caught up', async () => {
  const { rooms: [room], watch } = setUp('incident1');
  // Committed by a node that died before publishing: no message will ever announce it.
  room!.head = 3;
  room!.seq = 2;
  await watch.sweep();
  expect(room!.catchUps).toBe(0);
  await watch.sweep();
  expect(room!.catchUps).toBe(1);
  expect(room!.seq).toBe(3);
  await watch.sweep();
  expect(room!.catchUps).toBe(1);
});

test('a record committed between two passes is caught up at the second pass that finds it missing', async () => {
  const { rooms: [room], watch } = setUp('incident1');
  room!.head = 5;
  room!.seq = 5;
  await watch.sweep();
  room!.head = 6;
  await watch.sweep();
  expect(room!.catchUps).toBe(0);
  await watch.sweep();
  expect(room!.catchUps).toBe(1);
  expect(room!.seq).toBe(6);
});

test('a lost record is caught up while the journal keeps growing past it', async () => {
  const { rooms: [room], watch } = setUp('incident1');
  room!.head = 4;
  room!.seq = 3;
  await watch.sweep();
  // Every pass finds a newer head: what was missing at the pass before is still caught up.
  room!.head = 5;
  await watch.sweep();
  expect(room!.catchUps).toBe(1);
  expect(room!.seq).toBe(5);
});

test('a room whose catch-up keeps failing does not stop the others', async () => {
  const { rooms: [a, b], watch } = setUp('incidenta', 'incidentb');
  a!.head = 2;
  b!.head = 7;
  await watch.sweep();
  a!.failing = new Error('journal read failed');
  await watch.sweep();
  expect(a!.catchUps).toBe(1);
  expect(b!.seq).toBe(7);
  a!.failing = null;
  await watch.sweep();
  expect(a!.seq).toBe(2);
});

test('a room whose head cannot be read for a pass keeps what it had seen missing', async () => {
  const { rooms: [room], unreadable, watch } = setUp('incident1');
  room!.head = 7;
  await watch.sweep();
  unreadable.add(room!);
  await watch.sweep();
  expect(room!.catchUps).toBe(0);
  // Readable again: the records seen missing two passes ago are caught up at once.
  unreadable.clear();
  await watch.sweep();
  expect(room!.seq).toBe(7);
});
