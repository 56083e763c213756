import * as Y from 'yjs';
import { MemoryDatabase } from '../../server/storage/memory/memoryDatabase';
import { MemoryStore } from '../../server/storage/memory/memoryStore';
import { openAccountStore } from '../../server/auth/openAccountStore';
import type { AccountStore } from '../../server/auth/accountStore';
import type { Principal } from '../../server/auth/principal';
import { InProcessFanout } from '../../server/fanout/inProcessFanout';
import { DocumentRoom, type RoomDelivery } from '../../server/documents/room';
import { UpdateAdmission } from '../../server/policy/updateAdmission';
import { ClientBindings } from '../../server/policy/clientBindings';
import { RecentLogInserts } from '../../server/policy/logGrace';
import { createLogger } from '../../server/logger';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { DecisionsDoc } from '../../shared/docs/decisionsDoc';
import { docName, type DocName, type DocPart } from '../../shared/model/parts';
import { newId } from '../../shared/model/ids';
import { IDLE_ROOM_METRICS } from '../helpers/idleRoomMetrics';
import { SnapshotCompactor } from '../../server/documents/snapshotCompactor';

/**
 * Rooms and update admission on the in-memory stores: the journal, the client-id bindings and the
 * locks are the real ones, with no database file and no server. Each case checks the store after
 * a refusal: nothing journaled, nothing delivered.
 */
const metrics = IDLE_ROOM_METRICS;

function principal(displayName: string): Principal {
  return { user: { id: newId(), email: `${displayName.toLowerCase()}@crisis.test`, displayName, isAdmin: false, disabled: false, totpEnabled: false }, via: 'token', credential: newId(), expiresAt: null };
}

/** One node: a handle on `database`, accounts beside it, and the admission the server builds. */
async function node(database: MemoryDatabase, nodeId: string) {
  const store = new MemoryStore(database);
  const accounts: AccountStore = await openAccountStore(store);
  const deliveries = new Deliveries();
  const delivery: RoomDelivery = { update: (doc, _u, seq) => deliveries.push({ doc, seq }), awareness: () => undefined };
  const deps = { store, fanout: new InProcessFanout(nodeId), delivery, logger: createLogger('silent', nodeId), metrics, snapshots: new SnapshotCompactor() };
  const admission = new UpdateAdmission(new ClientBindings(accounts), new RecentLogInserts(60_000));
  const rooms: DocumentRoom[] = [];
  const open = async (doc: DocName) => {
    const room = await DocumentRoom.load(doc, deps);
    rooms.push(room);
    return room;
  };
  const close = async () => {
    for (const r of rooms) await r.close();
    await store.close();
  };
  return { store, accounts, deliveries, admission, open, close };
}

/** What a room handed to the transport, in order; `next()` waits for the next one (the room delivers after the writer's ack). */
class Deliveries {
  private readonly seen: Array<{ doc: DocName; seq: number }> = [];
  private readonly waiting: Array<(d: { doc: DocName; seq: number }) => void> = [];
  private taken = 0;

  push(d: { doc: DocName; seq: number }): void {
    this.seen.push(d);
    this.waiting.shift()?.(this.seen[this.taken++]!);
  }

  next(): Promise<{ doc: DocName; seq: number }> {
    if (this.taken < this.seen.length) return Promise.resolve(this.seen[this.taken++]!);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** A client's copy of a room's document: edits made on it come back as the update bytes a socket would carry. */
function copyOf(room: DocumentRoom, clientID?: number): { doc: Y.Doc; edit(fn: (doc: Y.Doc) => void): Uint8Array } {
  const doc = new Y.Doc();
  for (const u of room.join(Y.encodeStateVector(doc)).updates) Y.applyUpdate(doc, u);
  // Set after syncing: Yjs itself moves a document off a client id it sees in an update it applies.
  if (clientID !== undefined) doc.clientID = clientID;
  return {
    doc,
    edit(fn) {
      const before = Y.encodeStateVector(doc);
      fn(doc);
      return Y.encodeStateAsUpdate(doc, before);
    },
  };
}

const freshDoc = (part: DocPart) => docName(newId(), part);
const entry = (author: string, text: string) => buildLogEntry({ text, category: 'information', severity: 'medium' }, author, new Date());
const decisionInput = { title: 'Couper internet', statement: 'On coupe tout', rationale: 'Exfiltration en cours' };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function singleNode() {
  const n = await node(new MemoryDatabase(), 'node-1');
  cleanups.push(n.close);
  return n;
}

/** Two nodes on one in-memory database, with no bus between them. */
async function twoNodes() {
  const database = new MemoryDatabase();
  const [one, two] = [await node(database, 'node-1'), await node(database, 'node-2')];
  cleanups.push(one.close, two.close);
  return [one, two] as const;
}

describe('a room on the in-memory store', () => {
  it('journals an admitted entry under its sender, binds the client id to them, then delivers it', async () => {
    const { store, accounts, deliveries, admission, open } = await singleNode();
    const doc = freshDoc('log');
    const room = await open(doc);
    const alice = principal('Alice');
    const copy = copyOf(room);
    const written = entry('Alice', 'Messagerie coupée');
    const bytes = copy.edit((d) => new LogDoc(d).append(written));

    const { durable } = await admission.admit(room, bytes, alice, 'session-a');
    expect(await durable).toBe(1);
    const [record] = await store.readJournal(doc, 0);
    expect(record!.author).toBe(alice.user.id);
    expect(await accounts.clientOwners(doc, [copy.doc.clientID])).toEqual(new Map([[copy.doc.clientID, alice.user.id]]));
    expect(await deliveries.next()).toEqual({ doc, seq: 1 });
    // What a new node loads from the store alone.
    const replay = new Y.Doc();
    for (const r of (await store.load(doc)).records) Y.applyUpdate(replay, r.update);
    expect(new LogDoc(replay).entries()).toEqual([written]);
  });

  it('refuses an entry signed with another name (UPDATE_FORBIDDEN_AUTHOR): nothing journaled or delivered', async () => {
    const { store, deliveries, admission, open } = await singleNode();
    const doc = freshDoc('log');
    const room = await open(doc);
    const forged = copyOf(room).edit((d) => new LogDoc(d).append(entry('Le directeur', 'Ordre de tout couper')));
    await expect(admission.admit(room, forged, principal('Mallory'), 'session-m')).rejects.toMatchObject({ code: 'UPDATE_FORBIDDEN_AUTHOR' });
    expect(await store.headSeq(doc)).toBe(0);
    // A sentinel: the next entry admitted is the first thing journaled and delivered.
    const alice = principal('Alice');
    const { durable } = await admission.admit(room, copyOf(room).edit((d) => new LogDoc(d).append(entry('Alice', 'Vrai message'))), alice, 'session-a');
    expect(await durable).toBe(1);
    expect(await deliveries.next()).toEqual({ doc, seq: 1 });
    expect((await store.readJournal(doc, 0)).map((r) => r.author)).toEqual([alice.user.id]);
  });

  it('refuses items under a client id bound to another user (UPDATE_FORBIDDEN_CLIENT)', async () => {
    const { store, admission, open } = await singleNode();
    const doc = freshDoc('log');
    const room = await open(doc);
    const alice = principal('Alice');
    const aliceCopy = copyOf(room);
    await (await admission.admit(room, aliceCopy.edit((d) => new LogDoc(d).append(entry('Alice', 'Premier'))), alice, 'session-a')).durable;
    // Bob's copy reuses Alice's client id, as a forged client would.
    const bobCopy = copyOf(room, aliceCopy.doc.clientID);
    const bytes = bobCopy.edit((d) => new LogDoc(d).append(entry('Bob', 'Sous son identité')));
    await expect(admission.admit(room, bytes, principal('Bob'), 'session-b')).rejects.toMatchObject({ code: 'UPDATE_FORBIDDEN_CLIENT' });
    expect(await store.headSeq(doc)).toBe(1);
  });

  it('refuses bytes that are not an update (UPDATE_MALFORMED), and the store stays empty', async () => {
    const { store, admission, open } = await singleNode();
    const doc = freshDoc('tasks');
    const room = await open(doc);
    await expect(admission.admit(room, Uint8Array.from([0xff, 0x01, 0x02]), principal('Alice'), 'session-a')).rejects.toMatchObject({ code: 'UPDATE_MALFORMED' });
    expect(await store.headSeq(doc)).toBe(0);
  });

  it('refuses any change to an approved decision (UPDATE_SEALED); the approval stays as journaled', async () => {
    const { store, admission, open } = await singleNode();
    const doc = freshDoc('decisions');
    const room = await open(doc);
    const alice = principal('Alice');
    const copy = copyOf(room);
    const decide = { mayDecide: true };
    let id = '';
    await (await admission.admit(room, copy.edit((d) => (id = new DecisionsDoc(d).record(decisionInput, 'Alice', new Date()).id)), alice, 's', decide)).durable;
    await (await admission.admit(room, copy.edit((d) => new DecisionsDoc(d).setStatus(id, 'approved', 'Alice', new Date())), alice, 's', decide)).durable;
    const edit = copy.edit((d) => new DecisionsDoc(d).update(id, { rationale: 'Par précaution' }));
    await expect(admission.admit(room, edit, alice, 's', decide)).rejects.toMatchObject({ code: 'UPDATE_SEALED' });
    expect(await store.headSeq(doc)).toBe(2);
    expect(room.read((d) => new DecisionsDoc(d).get(id))).toMatchObject({ status: 'approved', rationale: 'Exfiltration en cours' });
  });

  it('refuses a status change from a sender who may not decide (DECISION_AUTHORITY)', async () => {
    const { store, admission, open } = await singleNode();
    const doc = freshDoc('decisions');
    const room = await open(doc);
    const bob = principal('Bob');
    const copy = copyOf(room);
    let id = '';
    await (await admission.admit(room, copy.edit((d) => (id = new DecisionsDoc(d).record(decisionInput, 'Bob', new Date()).id)), bob, 's')).durable;
    const approve = copy.edit((d) => new DecisionsDoc(d).setStatus(id, 'approved', 'Bob', new Date()));
    await expect(admission.admit(room, approve, bob, 's', { mayDecide: false })).rejects.toMatchObject({ code: 'DECISION_AUTHORITY' });
    expect(await store.headSeq(doc)).toBe(1);
  });
});

describe('two rooms on two handles of one in-memory database (two nodes, no bus between them)', () => {
  it('the second admits an edit to a sealing part only against the journal as the first committed it', async () => {
    const [one, two] = await twoNodes();
    const doc = freshDoc('decisions');
    const [roomOne, roomTwo] = [await one.open(doc), await two.open(doc)];
    const alice = principal('Alice');
    const decide = { mayDecide: true };
    const aliceCopy = copyOf(roomOne);
    let id = '';
    await (await one.admission.admit(roomOne, aliceCopy.edit((d) => (id = new DecisionsDoc(d).record(decisionInput, 'Alice', new Date()).id)), alice, 'a', decide)).durable;
    // Node 2 is told of the proposal by its journal (no bus), then the approval lands on node 1 only.
    await roomTwo.catchUp();
    const bobCopy = copyOf(roomTwo);
    await (await one.admission.admit(roomOne, aliceCopy.edit((d) => new DecisionsDoc(d).setStatus(id, 'approved', 'Alice', new Date())), alice, 'a', decide)).durable;
    expect(roomTwo.read((d) => new DecisionsDoc(d).get(id)?.status)).toBe('proposed');

    const edit = bobCopy.edit((d) => new DecisionsDoc(d).update(id, { rationale: 'Par précaution' }));
    await expect(two.admission.admit(roomTwo, edit, principal('Bob'), 'b', decide)).rejects.toMatchObject({ code: 'UPDATE_SEALED' });
    expect(await two.store.headSeq(doc)).toBe(2);
    expect(roomTwo.read((d) => new DecisionsDoc(d).get(id)?.status)).toBe('approved');
  });
});

describe("a writer's join on a room served cold (from the stored bytes, no document built)", () => {
  it('binds a fresh client id from the stored state vector, never one the document has items under, and leaves the room cold', async () => {
    const [one, two] = await twoNodes();
    const doc = freshDoc('log');
    const roomOne = await one.open(doc);
    // An entry the server wrote on someone's behalf (a REST post): items under its own, unowned id.
    await roomOne.change('Alice', (d) => new LogDoc(d).append(entry('Alice', 'par REST')));
    const serverId = roomOne.read((d) => d.clientID);
    // A room loads cold from a snapshot: the one a busy room would have taken by now.
    const state = roomOne.read((d) => ({ update: Y.encodeStateAsUpdate(d), stateVector: Y.encodeStateVector(d) }));
    await one.store.saveSnapshot(doc, { seq: 1, ...state });
    const roomTwo = await two.open(doc);
    expect(roomTwo.isMaterialised).toBe(false);
    const bob = principal('Bob');
    const fresh = serverId + 1;
    expect(await two.admission.bindAtJoin(roomTwo, fresh, bob.user.id)).toBe(true);
    expect(await two.admission.bindAtJoin(roomTwo, serverId, bob.user.id)).toBe(false);
    expect(await two.accounts.clientOwners(doc, [fresh, serverId])).toEqual(new Map([[fresh, bob.user.id]]));
    expect(roomTwo.isMaterialised).toBe(false);
  });

  it('reads a record that came while cold: an id written meanwhile is no longer fresh', async () => {
    const [one, two] = await twoNodes();
    const doc = freshDoc('log');
    const roomOne = await one.open(doc);
    await roomOne.change('Alice', (d) => new LogDoc(d).append(entry('Alice', 'par REST')));
    const state = roomOne.read((d) => ({ update: Y.encodeStateAsUpdate(d), stateVector: Y.encodeStateVector(d) }));
    await one.store.saveSnapshot(doc, { seq: 1, ...state });
    const roomTwo = await two.open(doc);
    const alice = copyOf(roomOne, 424_242);
    expect(roomTwo.clientClock(424_242)).toBe(0);
    // Alice writes on node 1 under her id; node 2, still cold, learns it from the journal.
    await (await one.admission.admit(roomOne, alice.edit((d) => new LogDoc(d).append(entry('Alice', 'sur le nœud 1'))), principal('Alice'), 'a')).durable;
    await roomTwo.catchUp();
    expect(roomTwo.isMaterialised).toBe(false);
    expect(roomTwo.clientClock(424_242)).toBeGreaterThan(0);
    expect(await two.admission.bindAtJoin(roomTwo, 424_242, principal('Bob').user.id)).toBe(false);
  });
});
