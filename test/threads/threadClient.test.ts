import { ThreadClient, type ThreadReply } from '../../server/threads/threadClient';

// The request/answer thread under the journal's commit thread and the snapshot compactor: answers
// go to their request, a refusal keeps its code, a thread that dies fails only its own requests
// and the next request starts a new one, and close answers what was asked before it.

const SOURCE = `
const { parentPort } = require('node:worker_threads');
let held = null;
parentPort.on('message', (m) => {
  if (m.close) { parentPort.close(); return; }
  if (m.die) process.exit(3);
  if (m.hold) { held = m.id; return; }
  if (m.release) { parentPort.postMessage({ id: held, ok: true, doubled: 0 }); parentPort.postMessage({ id: m.id, ok: true, doubled: 0 }); return; }
  if (m.refuse) { parentPort.postMessage({ id: m.id, ok: false, message: 'refused', code: 'E_REFUSED' }); return; }
  parentPort.postMessage({ id: m.id, ok: true, doubled: m.n * 2 });
});
`;

interface Doubled extends ThreadReply {
  doubled: number;
}

let client: ThreadClient<Doubled>;

beforeEach(() => {
  client = new ThreadClient<Doubled>('test thread', SOURCE, {});
});

afterEach(async () => {
  await client.close();
});

test('each answer goes to its request; a refusal is an error with its code', async () => {
  const answers = await Promise.all([1, 2, 3].map((n) => client.request({ n })));
  expect(answers.map((a) => a.doubled)).toEqual([2, 4, 6]);
  await expect(client.request({ refuse: true })).rejects.toMatchObject({ message: 'refused', code: 'E_REFUSED' });
  expect((await client.request({ n: 5 })).doubled).toBe(10);
});

test('a thread that dies fails its requests; the next request starts a new thread', async () => {
  const pending = client.request({ n: 1 });
  const dying = client.request({ die: true });
  expect((await pending).doubled).toBe(2);
  await expect(dying).rejects.toThrow('test thread exited (3)');
  expect((await client.request({ n: 4 })).doubled).toBe(8);
});

test('close answers what was asked before it; a request after it starts a new thread, which the old one exiting does not fail', async () => {
  const asked = [client.request({ n: 1 }), client.request({ n: 2 })];
  const closing = client.close();
  // On the new thread, unanswered until the old one has exited.
  const after = client.request({ hold: true });
  await closing;
  expect((await Promise.all(asked)).map((a) => a.doubled)).toEqual([2, 4]);
  await client.request({ release: true });
  expect((await after).doubled).toBe(0);
});
