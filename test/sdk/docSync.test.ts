import * as Y from 'yjs';
import { DocSync, type Refusal } from '../../client/sdk/docSync';
import { LogDoc, buildLogEntry } from '../../shared/docs/logDoc';
import { ROOTS, docName } from '../../shared/model/parts';
import { EVENTS } from '../../shared/protocol/messages';
import type { WireError } from '../../shared/protocol/errors';
import { MemoryServer, MemorySocket, refusal } from './memorySocket';

/**
 * DocSync's state machine, driven by hand against a socket in memory: join, send, ack counting,
 * "not now" answers that pause then join again, resend after a reconnect, a permanent refusal
 * that rebuilds the document, and a read-only part that sends nothing. Fake timers (the pause
 * is the only timer DocSync has).
 */
const NAME = docName('incident00000001', 'log');
const AT = new Date('2026-03-01T10:00:00.000Z');

interface Rig {
  socket: MemorySocket;
  server: MemoryServer;
  sync: DocSync;
  pending: number[];
  rejected: Array<{ error: WireError; refusal: Refusal }>;
  resets: Y.Doc[];
  synced: number;
}

function rig(options: { writable?: boolean; connected?: boolean } = {}): Rig {
  const socket = new MemorySocket();
  const server = new MemoryServer(socket);
  const doc = new Y.Doc();
  const sync = new DocSync(NAME, doc, socket);
  if (options.writable === false) sync.setWritable(false);
  const r: Rig = { socket, server, sync, pending: [], rejected: [], resets: [], synced: 0 };
  sync.on('pending', (n) => r.pending.push(n));
  sync.on('rejected', (error, refusal) => r.rejected.push({ error, refusal }));
  sync.on('reset', (fresh) => r.resets.push(fresh));
  sync.on('synced', () => r.synced++);
  if (options.connected !== false) {
    socket.connect();
    server.answerJoin();
  }
  return r;
}

function append(sync: DocSync, text: string): string {
  return new LogDoc(sync.doc).append(buildLogEntry({ text }, 'Alice', AT)).id;
}

function texts(doc: Y.Doc): string[] {
  return new LogDoc(doc).entries().map((e) => e.text);
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('join', () => {
  test('on connect: joins with its state vector, takes what the server has, then is synced', () => {
    const socket = new MemorySocket();
    const server = new MemoryServer(socket);
    new LogDoc(server.doc).append(buildLogEntry({ text: 'déjà là' }, 'Bob', AT));
    server.seq = 7;
    const sync = new DocSync(NAME, new Y.Doc(), socket);
    expect(socket.count(EVENTS.join)).toBe(0);
    expect(sync.isSynced).toBe(false);

    socket.connect();
    expect(socket.emitted.map((m) => m.event)).toEqual([EVENTS.join]);
    expect(socket.emitted[0]!.payload).toMatchObject({ doc: NAME, stateVector: Y.encodeStateVector(new Y.Doc()) });
    const synced = sync.whenSynced();
    server.answerJoin();
    expect(sync.isSynced).toBe(true);
    expect(sync.seq).toBe(7);
    expect(texts(sync.doc)).toEqual(['déjà là']);
    // Nothing of its own to send.
    expect(socket.count(EVENTS.update)).toBe(0);
    return synced;
  });

  test('a socket already connected joins at once; updates from the server are applied and not sent back', () => {
    const socket = new MemorySocket();
    const server = new MemoryServer(socket);
    socket.connected = true;
    const sync = new DocSync(NAME, new Y.Doc(), socket);
    expect(socket.count(EVENTS.join)).toBe(1);
    server.answerJoin();
    server.broadcast((d) => new LogDoc(d).append(buildLogEntry({ text: 'de Bob' }, 'Bob', AT)), NAME);
    expect(texts(sync.doc)).toEqual(['de Bob']);
    expect(sync.seq).toBe(1);
    expect(sync.pendingCount).toBe(0);
    expect(socket.count(EVENTS.update)).toBe(0);
    // Another document's broadcast is not this one's.
    server.broadcast((d) => new LogDoc(d).append(buildLogEntry({ text: 'ailleurs' }, 'Bob', AT)), docName('incident00000002', 'log'));
    expect(texts(sync.doc)).toEqual(['de Bob']);
  });

  test('a join refused for good is reported; nothing more is sent', () => {
    const r = rig({ connected: false });
    r.socket.connect();
    r.socket.answer(EVENTS.join, refusal('FORBIDDEN'));
    expect(r.rejected.map((x) => [x.error.code, x.refusal.changes])).toEqual([['FORBIDDEN', []]]);
    expect(r.sync.isSynced).toBe(false);
    append(r.sync, 'après le refus');
    expect(r.socket.count(EVENTS.update)).toBe(0);
    jest.runOnlyPendingTimers();
    expect(r.socket.count(EVENTS.join)).toBe(1);
  });
});

describe('a copy that only received', () => {
  test('counts and sends nothing after a reconnect, though the server overwrote fields (its diff holds their deletions)', () => {
    const meta = docName('incident00000001', 'meta');
    const socket = new MemorySocket();
    const server = new MemoryServer(socket);
    const sync = new DocSync(meta, new Y.Doc(), socket);
    socket.connect();
    server.answerJoin();
    server.broadcast((d) => d.getMap(ROOTS.meta).set('title', 'Cyberattaque'), meta);
    server.broadcast((d) => d.getMap(ROOTS.meta).set('title', 'Cyberattaque — rançongiciel'), meta);
    expect(sync.doc.getMap(ROOTS.meta).get('title')).toBe('Cyberattaque — rançongiciel');
    socket.drop();
    socket.connect();
    server.answerJoin();
    expect(sync.isSynced).toBe(true);
    expect(sync.pendingCount).toBe(0);
    expect(socket.count(EVENTS.update)).toBe(0);
  });
});

describe('send and acknowledgement', () => {
  test('each local edit is sent with an ack, counted until acknowledged, in any order', async () => {
    const r = rig();
    append(r.sync, 'un');
    append(r.sync, 'deux');
    expect(r.sync.pendingCount).toBe(2);
    const sent = r.socket.unanswered(EVENTS.update);
    expect(sent).toHaveLength(2);
    expect(sent.map((m) => (m.payload as { doc: string }).doc)).toEqual([NAME, NAME]);
    const acknowledged = r.sync.whenAcknowledged();

    // The second answered first.
    const [first, second] = sent;
    second!.ack!({ ok: true, seq: 1 });
    second!.ack = null;
    expect(r.sync.pendingCount).toBe(1);
    first!.ack!({ ok: true, seq: 2 });
    first!.ack = null;
    expect(r.sync.pendingCount).toBe(0);
    expect(r.pending).toEqual([1, 2, 1, 0]);
    await acknowledged;
  });

  test('edits made before the join go in one update after it, counted as they were made', () => {
    const r = rig({ connected: false });
    append(r.sync, 'hors ligne 1');
    append(r.sync, 'hors ligne 2');
    expect(r.sync.pendingCount).toBe(2);
    expect(r.socket.count(EVENTS.update)).toBe(0);
    r.socket.connect();
    r.server.answerJoin();
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(1);
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);
    expect(texts(r.server.doc)).toEqual(['hors ligne 1', 'hors ligne 2']);
  });

  test('a document that holds more than the server (kept across a reload) counts it as one edit and sends it', () => {
    const socket = new MemorySocket();
    const server = new MemoryServer(socket);
    const doc = new Y.Doc();
    new LogDoc(doc).append(buildLogEntry({ text: 'gardée dans le navigateur' }, 'Alice', AT));
    const sync = new DocSync(NAME, doc, socket);
    expect(sync.pendingCount).toBe(0);
    socket.connect();
    server.answerJoin();
    expect(sync.pendingCount).toBe(1);
    server.acceptUpdate();
    expect(sync.pendingCount).toBe(0);
    expect(texts(server.doc)).toEqual(['gardée dans le navigateur']);
  });
});

describe('"not now" answers pause, then join again and send what the server lacks', () => {
  test.each(['RATE_LIMITED', 'STORAGE_UNAVAILABLE'] as const)('%s on an update: kept, nothing sent during the pause, resent after a join', (code) => {
    const r = rig();
    append(r.sync, 'refusée pour l’instant');
    r.server.refuseUpdate(code);
    expect(r.sync.pendingCount).toBe(1);
    expect(r.rejected).toEqual([]);
    expect(r.sync.isSynced).toBe(false);

    // During the pause (1 s), a new edit waits too.
    append(r.sync, 'pendant la pause');
    expect(r.sync.pendingCount).toBe(2);
    expect(r.socket.count(EVENTS.update)).toBe(1);
    jest.advanceTimersByTime(999);
    expect(r.socket.count(EVENTS.join)).toBe(1);
    jest.advanceTimersByTime(1);
    expect(r.socket.count(EVENTS.join)).toBe(2);

    r.server.answerJoin();
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(1);
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);
    expect(texts(r.server.doc)).toEqual(['refusée pour l’instant', 'pendant la pause']);
  });

  test('the pause doubles while the answers keep saying "not now", and is short again after an acceptance', () => {
    const r = rig();
    append(r.sync, 'insistante');
    const pauseBeforeJoin = () => {
      const joins = r.socket.count(EVENTS.join);
      let waited = 0;
      while (r.socket.count(EVENTS.join) === joins) {
        jest.advanceTimersByTime(500);
        waited += 500;
      }
      return waited;
    };
    r.server.refuseUpdate('RATE_LIMITED');
    expect(pauseBeforeJoin()).toBe(1_000);
    r.server.answerJoin();
    r.server.refuseUpdate('RATE_LIMITED');
    expect(pauseBeforeJoin()).toBe(2_000);
    // The join itself may be told "not now": a pause too.
    r.socket.answer(EVENTS.join, refusal('STORAGE_UNAVAILABLE'));
    expect(pauseBeforeJoin()).toBe(4_000);
    r.server.answerJoin();
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);

    append(r.sync, 'la suivante');
    r.server.refuseUpdate('RATE_LIMITED');
    expect(pauseBeforeJoin()).toBe(1_000);
  });

  test('refusals of updates sent before the pause began are its consequences, not verdicts', () => {
    const r = rig();
    append(r.sync, 'un');
    append(r.sync, 'deux');
    r.server.refuseUpdate('RATE_LIMITED');
    // The second depended on the first: refused too, but the pause's join sends both again.
    r.server.refuseUpdate('UPDATE_MISSING_DEPENDENCIES');
    expect(r.rejected).toEqual([]);
    expect(r.resets).toEqual([]);
    jest.advanceTimersByTime(1_000);
    r.server.answerJoin();
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);
    expect(texts(r.server.doc)).toEqual(['un', 'deux']);
  });

  test('closing during a pause cancels it', () => {
    const r = rig();
    append(r.sync, 'avant la fermeture');
    r.server.refuseUpdate('RATE_LIMITED');
    r.sync.close();
    jest.runOnlyPendingTimers();
    expect(r.socket.count(EVENTS.join)).toBe(1);
    expect(r.socket.emitted.at(-1)).toMatchObject({ event: EVENTS.leave, payload: { doc: NAME } });
  });
});

describe('reconnect', () => {
  test('what was sent but not acknowledged before the drop is sent again after the join; a late answer of the old connection is ignored', () => {
    const r = rig();
    append(r.sync, 'perdue en route');
    const lost = r.socket.unanswered(EVENTS.update)[0]!;
    r.socket.drop();
    expect(r.sync.isSynced).toBe(false);
    append(r.sync, 'pendant la coupure');
    expect(r.socket.count(EVENTS.update)).toBe(1);

    r.socket.connect();
    // The old connection's answer, arriving late: not an acknowledgement of anything now.
    lost.ack!({ ok: true, seq: 99 });
    lost.ack = null;
    expect(r.sync.pendingCount).toBe(2);

    r.server.answerJoin();
    const resent = r.socket.unanswered(EVENTS.update);
    expect(resent).toHaveLength(1);
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);
    expect(texts(r.server.doc)).toEqual(['perdue en route', 'pendant la coupure']);
    expect(r.synced).toBe(2);
  });
});

describe('a permanent refusal rebuilds the document', () => {
  test('the refused edit is dropped and reported with its content; the edits after it are made again and sent one at a time', () => {
    const r = rig();
    const previous = r.sync.doc;
    append(r.sync, 'acceptée');
    append(r.sync, 'refusée');
    append(r.sync, 'après la refusée');
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(3);
    r.server.acceptUpdate();
    r.server.refuseUpdate('UPDATE_FORBIDDEN_AUTHOR');
    // Nothing rebuilt while an answer is awaited.
    expect(r.socket.count(EVENTS.join)).toBe(1);
    // The third built on the second: the server lacks its dependency.
    r.server.refuseUpdate('UPDATE_MISSING_DEPENDENCIES');

    // Every answer in: the whole state is fetched (an empty state vector).
    expect(r.socket.count(EVENTS.join)).toBe(2);
    expect(r.socket.unanswered(EVENTS.join)[0]!.payload).toMatchObject({ stateVector: Y.encodeStateVector(new Y.Doc()) });
    r.server.answerJoin();

    expect(r.resets).toHaveLength(1);
    expect(r.sync.doc).toBe(r.resets[0]);
    expect(r.sync.doc).not.toBe(previous);
    expect(r.sync.doc.clientID).not.toBe(previous.clientID);
    expect(texts(r.sync.doc)).toEqual(['acceptée', 'après la refusée']);
    expect(r.rejected).toHaveLength(1);
    expect(r.rejected[0]!.error.code).toBe('UPDATE_FORBIDDEN_AUTHOR');
    expect(r.rejected[0]!.refusal.changes).toEqual([expect.objectContaining({ op: 'append', value: expect.stringContaining('"text":"refusée"') })]);

    // One edit pending (the one made again), sent alone.
    expect(r.sync.pendingCount).toBe(1);
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(1);
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);
    expect(texts(r.server.doc)).toEqual(['acceptée', 'après la refusée']);
  });

  test('after a refusal, edits go one at a time until none is left, then as they come again', () => {
    const r = rig();
    append(r.sync, 'refusée');
    r.server.refuseUpdate('UPDATE_FORBIDDEN_AUTHOR');
    r.server.answerJoin();
    expect(r.sync.pendingCount).toBe(0);
    // Careful mode: the next two edits, one at a time.
    append(r.sync, 'une');
    append(r.sync, 'deux');
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(1);
    r.server.acceptUpdate();
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(1);
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);
    // Back to normal: both go at once.
    append(r.sync, 'trois');
    append(r.sync, 'quatre');
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(2);
  });

  test('a refused update of several records (a reconnect diff) is split: each record is sent and judged alone', () => {
    const r = rig({ connected: false });
    append(r.sync, 'hors ligne A');
    append(r.sync, 'hors ligne B');
    r.socket.connect();
    r.server.answerJoin();
    r.server.refuseUpdate('UPDATE_FORBIDDEN_AUTHOR');
    r.server.answerJoin();
    // No verdict on either record yet: both made again, nothing reported.
    expect(r.rejected).toEqual([]);
    expect(texts(r.sync.doc)).toEqual(['hors ligne A', 'hors ligne B']);
    expect(r.sync.pendingCount).toBe(2);
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(1);
    r.server.acceptUpdate();
    r.server.refuseUpdate('UPDATE_FORBIDDEN_AUTHOR');
    r.server.answerJoin();
    expect(r.rejected.map((x) => x.refusal.changes.length)).toEqual([1]);
    expect(texts(r.sync.doc)).toEqual(['hors ligne A']);
    expect(r.sync.pendingCount).toBe(0);
  });
});

describe('a read-only part sends nothing', () => {
  test('local edits stay pending; the join sends nothing; allowed again, the pending edits go', () => {
    const r = rig({ writable: false, connected: false });
    append(r.sync, 'lecteur');
    expect(r.sync.pendingCount).toBe(1);
    r.socket.connect();
    r.server.answerJoin();
    append(r.sync, 'toujours lecteur');
    expect(r.socket.count(EVENTS.update)).toBe(0);
    expect(r.sync.isSynced).toBe(true);

    r.sync.setWritable(true);
    expect(r.socket.count(EVENTS.join)).toBe(2);
    r.server.answerJoin();
    expect(r.socket.unanswered(EVENTS.update)).toHaveLength(1);
    r.server.acceptUpdate();
    expect(r.sync.pendingCount).toBe(0);
    expect(texts(r.server.doc)).toEqual(['lecteur', 'toujours lecteur']);
  });
});
