import * as Y from 'yjs';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { EVENTS } from '../../shared/protocol/messages';
import { newId } from '../../shared/model/ids';
import { editOf, sessionWorld } from './sessionWorld';
import type { Answer } from './memorySocketPair';

jest.setTimeout(30_000);

// A connection session over an in-memory socket pair: no socket.io, no network.

/** A log entry by `author`, appended to `doc`: the update it makes. */
function entry(doc: Y.Doc, author: string, text: string): Uint8Array {
  return editOf(doc, (d) => new LogDoc(d).append(buildLogEntry({ text }, author, new Date())));
}

function codeOf(answer: Answer): string | undefined {
  return answer.error?.code;
}

test('join answers with the state and seq; a stranger, an unknown incident and a bad document name are refused', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  const joined = await w.join(alice);
  expect(joined).toMatchObject({ ok: true, seq: expect.any(Number), awareness: null });
  expect(alice.session.joined).toEqual(new Set([w.doc('log')]));
  expect(w.channels.subscribed(w.doc('log'))).toEqual([alice.server.id]);
  expect((await w.rooms.get(w.doc('log'))).sessions.has(alice.server.id)).toBe(true);

  const stranger = w.connect(await w.user('Stranger'));
  expect(codeOf(await w.join(stranger))).toBe('FORBIDDEN');
  expect(stranger.session.joined.size).toBe(0);
  const unknown = await stranger.client.request(EVENTS.join, { doc: `${newId()}:log`, stateVector: Y.encodeStateVector(new Y.Doc()) });
  expect(codeOf(unknown)).toBe('NOT_FOUND');
  expect(codeOf(await stranger.client.request(EVENTS.join, { doc: 'nonsense', stateVector: new Uint8Array() }))).toBe('BAD_MESSAGE');
});

test("an update is acknowledged with its seq after the commit, before it is broadcast; the writer gets no copy, a reader does", async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  const bob = w.connect(await w.user('Bob', 'member'));
  await w.join(alice);
  await w.join(bob);
  const before = (await w.rooms.get(w.doc('log'))).seq;

  const update = entry(alice.docs.get(w.doc('log'))!, 'Alice', 'Incendie bâtiment B');
  const ack = await alice.client.request(EVENTS.update, { doc: w.doc('log'), update });
  expect(ack).toEqual({ ok: true, seq: before + 1 });
  // Acknowledged only once durable: the journal holds it.
  const stored = await w.store.readJournal(w.doc('log'), before);
  expect(stored.map((r) => r.seq)).toEqual([before + 1]);

  await bob.client.until(() => bob.client.events(EVENTS.update).length === 1, 'the broadcast');
  expect(bob.client.events(EVENTS.update)[0]).toMatchObject({ doc: w.doc('log'), seq: before + 1 });
  expect(alice.client.events(EVENTS.update)).toEqual([]);
  // Alice heard her ack before Bob heard the broadcast.
  const order = w.channels.timeline.filter((t) => (t.to.startsWith('Alice') && t.seen.kind === 'reply' && t.seen.event === EVENTS.update) || (t.to.startsWith('Bob') && t.seen.event === EVENTS.update));
  expect(order.map((t) => `${t.to.split('-')[0]}:${t.seen.kind}`)).toEqual(['Alice:reply', 'Bob:event']);

  const replica = new Y.Doc();
  Y.applyUpdate(replica, (bob.client.events(EVENTS.update)[0] as { update: Uint8Array }).update);
  expect(new LogDoc(replica).entries().map((e) => e.text)).toEqual(['Incendie bâtiment B']);
});

test('updates of one connection apply in the order sent, the first claiming its client id', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  await w.join(alice);
  const doc = alice.docs.get(w.doc('log'))!;
  const first = entry(doc, 'Alice', 'Un');
  const second = entry(doc, 'Alice', 'Deux');
  // Sent back to back: the second depends on the first, which waits for the client-id claim.
  const answers = await Promise.all([alice.client.request(EVENTS.update, { doc: w.doc('log'), update: first }), alice.client.request(EVENTS.update, { doc: w.doc('log'), update: second })]);
  expect(answers.map((a) => a.ok)).toEqual([true, true]);
  expect((answers[1]!.seq as number) > (answers[0]!.seq as number)).toBe(true);
  expect(w.bindings.owner(w.doc('log'), doc.clientID)).toBe(alice.session.identity.principal.user.id);
  const room = await w.rooms.get(w.doc('log'));
  expect(room.read((d) => new LogDoc(d).entries().map((e) => e.text))).toEqual(['Un', 'Deux']);
});

test('refusals carry their codes and change nothing: not joined, read-only role, bad message, malformed, another user\'s client id, another author', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  const mallory = w.connect(await w.user('Mallory', 'member'));
  const olga = w.connect(await w.user('Olga', 'observer'));
  const doc = w.doc('log');
  const send = (c: typeof alice, update: unknown) => c.client.request(EVENTS.update, { doc, update });

  const early = entry(new Y.Doc(), 'Alice', 'avant de rejoindre');
  expect(codeOf(await send(alice, early))).toBe('NOT_JOINED');
  await Promise.all([w.join(alice), w.join(mallory), w.join(olga)]);
  const aliceDoc = alice.docs.get(doc)!;
  expect((await send(alice, entry(aliceDoc, 'Alice', 'premier'))).ok).toBe(true);
  const seq = (await w.rooms.get(doc)).seq;

  expect(codeOf(await send(olga, entry(olga.docs.get(doc)!, 'Olga', 'lecture seule')))).toBe('FORBIDDEN');
  expect(codeOf(await alice.client.request(EVENTS.update, { doc, update: 'not bytes' }))).toBe('BAD_MESSAGE');
  expect(codeOf(await send(mallory, new Uint8Array([0xff, 0xfe, 0x01, 0x02])))).toBe('UPDATE_MALFORMED');
  // Mallory writes under Alice's client id: a copy of Alice's replica, one entry further.
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(aliceDoc));
  forged.clientID = aliceDoc.clientID;
  expect(codeOf(await send(mallory, entry(forged, 'Mallory', 'sous le nom d’Alice')))).toBe('UPDATE_FORBIDDEN_CLIENT');
  expect(codeOf(await send(mallory, entry(mallory.docs.get(doc)!, 'Alice', 'signé Alice')))).toBe('UPDATE_FORBIDDEN_AUTHOR');
  expect((await w.rooms.get(doc)).seq).toBe(seq);
  expect((await w.rooms.get(doc)).read((d) => new LogDoc(d).entries().map((e) => e.text))).toEqual(['premier']);
});

test('an unknown event is refused, as an error event when the client asked for no ack', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  expect(codeOf(await alice.client.request('fanout:update', {}))).toBe('BAD_MESSAGE');
  alice.client.send('hello', {});
  await alice.client.until(() => alice.client.events(EVENTS.error).length === 1, 'the error event');
  expect(alice.client.events(EVENTS.error)[0]).toMatchObject({ code: 'BAD_MESSAGE' });
});

test('past its burst a connection is refused RATE_LIMITED, whatever the message', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'), { perSecond: 1e-9, burst: 3 });
  await w.join(alice);
  expect((await alice.client.request(EVENTS.leave, { doc: w.doc('log') })).ok).toBe(true);
  expect(codeOf(await alice.client.request('anything', {}))).toBe('BAD_MESSAGE');
  expect(codeOf(await w.join(alice))).toBe('RATE_LIMITED');
  expect(codeOf(await alice.client.request(EVENTS.leave, { doc: w.doc('log') }))).toBe('RATE_LIMITED');
  expect(alice.server.connected).toBe(true);
});

test('updates refused for budget twice in a row stop the reading until the pause ends or the connection closes', async () => {
  const w = await sessionWorld({ budgetMemberBytesPerMinute: 300 });
  const alice = w.connect(await w.user('Alice', 'member'));
  await w.join(alice);
  const doc = alice.docs.get(w.doc('log'))!;
  const big = entry(doc, 'Alice', 'x'.repeat(400));
  expect(codeOf(await alice.client.request(EVENTS.update, { doc: w.doc('log'), update: big }))).toBe('QUOTA_EXCEEDED');
  expect(alice.server.paused).toBe(false);
  expect(codeOf(await alice.client.request(EVENTS.update, { doc: w.doc('log'), update: big }))).toBe('QUOTA_EXCEEDED');
  expect(alice.server.paused).toBe(true);
  // What the client sends now waits unread, as TCP would hold it.
  const held = alice.client.request(EVENTS.leave, { doc: w.doc('log') });
  expect(alice.server.heldMessages).toBe(1);
  alice.client.close();
  expect(alice.server.paused).toBe(false);
  await held;
});

test('leave: the session stops receiving the document and may no longer write to it', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  const bob = w.connect(await w.user('Bob', 'member'));
  const carol = w.connect(await w.user('Carol', 'member'));
  await Promise.all([w.join(alice), w.join(bob), w.join(carol)]);
  expect(await bob.client.request(EVENTS.leave, { doc: w.doc('log') })).toEqual({ ok: true });
  expect(bob.session.joined.size).toBe(0);
  expect(w.channels.subscribed(w.doc('log'))).toEqual([alice.server.id, carol.server.id]);
  expect((await w.rooms.get(w.doc('log'))).sessions.has(bob.server.id)).toBe(false);
  expect(w.left).toEqual([{ doc: w.doc('log'), userId: bob.session.identity.principal.user.id }]);

  expect((await alice.client.request(EVENTS.update, { doc: w.doc('log'), update: entry(alice.docs.get(w.doc('log'))!, 'Alice', 'après le départ de Bob') })).ok).toBe(true);
  const late = await bob.client.request(EVENTS.update, { doc: w.doc('log'), update: entry(bob.docs.get(w.doc('log'))!, 'Bob', 'parti') });
  expect(codeOf(late)).toBe('NOT_JOINED');
  // Carol, still joined, is the sentinel: once the broadcast reached her, Bob would have had it too.
  await carol.client.until(() => carol.client.events(EVENTS.update).length === 1, "Carol hears Alice's entry");
  expect(bob.client.events(EVENTS.update)).toEqual([]);
});

test('disconnect: the session leaves every document it joined; the others stay', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  const bob = w.connect(await w.user('Bob', 'member'));
  await Promise.all([w.join(alice), w.join(bob), w.join(alice, 'tasks')]);
  alice.client.close();
  expect(alice.session.joined.size).toBe(0);
  expect(w.channels.subscribed(w.doc('log'))).toEqual([bob.server.id]);
  await bob.client.until(() => w.left.length === 2, 'both documents left');
  expect(new Set(w.left.map((l) => l.doc))).toEqual(new Set([w.doc('log'), w.doc('tasks')]));
  const log = await w.rooms.get(w.doc('log'));
  expect(log.sessions.has(alice.server.id)).toBe(false);
  expect(log.sessions.has(bob.server.id)).toBe(true);
});

test('leaveIncident (access ended) takes the session out of every document of the incident; the connection stays', async () => {
  const w = await sessionWorld();
  const alice = w.connect(await w.user('Alice', 'member'));
  await Promise.all([w.join(alice), w.join(alice, 'tasks')]);
  await alice.session.leaveIncident(w.incident.id);
  expect(alice.session.joined.size).toBe(0);
  expect(w.channels.subscribed(w.doc('log'))).toEqual([]);
  expect(alice.server.connected).toBe(true);
  expect(codeOf(await alice.client.request(EVENTS.update, { doc: w.doc('log'), update: entry(alice.docs.get(w.doc('log'))!, 'Alice', 'x') }))).toBe('NOT_JOINED');
});
