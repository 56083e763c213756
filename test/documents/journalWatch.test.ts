import { JournalWatch, type WatchedRooms } from '../../server/documents/journalWatch';
import { createLogger } from '../../server/logger';
import { docName } from '../../shared/model/parts';

/** One loaded room and the shared journal's head, moved by hand between passes. */
function setUp() {
  const journal = { head: 0 };
  const room = {
    name: docName('incident1', 'log'),
    seq: 0,
    catchUps: 0,
    async catchUp(): Promise<void> {
      room.catchUps += 1;
      room.seq = journal.head;
    },
  };
  const rooms: WatchedRooms = { loaded: () => [room] };
  const watch = new JournalWatch({ headSeq: async () => journal.head }, rooms, createLogger('silent', 'test'), 0);
  return { journal, room, watch };
}

test('a record whose announcement is on its way when a pass looks is left to the fan-out', async () => {
  const { journal, room, watch } = setUp();
  journal.head = 1;
  await watch.sweep();
  // The publish arrives between the passes, as it does within milliseconds.
  room.seq = 1;
  journal.head = 2;
  await watch.sweep();
  room.seq = 2;
  await watch.sweep();
  expect(room.catchUps).toBe(0);
});

test('a record still missing at the pass after the one that saw it in the journal is caught up', async () => {
  const { journal, room, watch } = setUp();
  // Committed by a node that died before publishing: no message will ever announce it.
  journal.head = 3;
  room.seq = 2;
  await watch.sweep();
  expect(room.catchUps).toBe(0);
  await watch.sweep();
  expect(room.catchUps).toBe(1);
  expect(room.seq).toBe(3);
  await watch.sweep();
  expect(room.catchUps).toBe(1);
});

test('a record committed between two passes is caught up at the second pass that finds it missing', async () => {
  const { journal, room, watch } = setUp();
  journal.head = 5;
  room.seq = 5;
  await watch.sweep();
  journal.head = 6;
  await watch.sweep();
  expect(room.catchUps).toBe(0);
  await watch.sweep();
  expect(room.catchUps).toBe(1);
  expect(room.seq).toBe(6);
});
