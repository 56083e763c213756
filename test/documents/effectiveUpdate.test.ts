import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { applyCapturing, clientApplication } from '../../server/documents/effectiveUpdate';
import { ClientUpdate } from '../../server/documents/clientUpdate';
import { encodeTransactionUpdate } from '../../server/documents/transactionUpdate';
import { createLogger } from '../../server/logger';

// The real encoder, counted: whether the room wrote the transaction's bytes or journaled the client's.
jest.mock('../../server/documents/transactionUpdate', () => {
  const actual = jest.requireActual<typeof import('../../server/documents/transactionUpdate')>('../../server/documents/transactionUpdate');
  return { ...actual, encodeTransactionUpdate: jest.fn(actual.encodeTransactionUpdate) };
});
const encode = jest.mocked(encodeTransactionUpdate);

const logger = createLogger('silent', 'effective-update-test');

/** A server document with a log, and two members' copies synced with it. */
function world() {
  const server = new Y.Doc();
  server.getArray<string>('log').push(['first']);
  server.getMap<string>('tasks').set('t', 'open');
  const [writer, other] = [new Y.Doc(), new Y.Doc()];
  for (const member of [writer, other]) Y.applyUpdate(member, Y.encodeStateAsUpdate(server));
  return { server, writer, other };
}

/** What the writer's `change` sends (the bytes its provider would send). */
function edit(writer: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(writer);
  change(writer);
  return Y.encodeStateAsUpdate(writer, before);
}

/** The server applying `bytes` as the room does, and what Yjs itself would have emitted for it. */
function capture(server: Y.Doc, bytes: Uint8Array) {
  const origin = { who: 'writer' };
  const update = ClientUpdate.decode(bytes);
  const { apply, sent } = clientApplication(server, bytes, update.wholeSpans, origin);
  let yjs: Uint8Array | null = null;
  const onUpdate = (u: Uint8Array, o: unknown) => {
    if (o === origin) yjs = u;
  };
  server.on('update', onUpdate);
  try {
    return { ...applyCapturing(server, origin, apply, logger, 'doc', sent), yjs: yjs as Uint8Array | null, whole: update.wholeSpans !== null };
  } finally {
    server.off('update', onUpdate);
  }
}

/** A V1 update written by hand, as a hostile client could: `sections` of [client, first clock, structs]. */
function handWritten(sections: Array<[number, number, Array<Y.Item | Y.GC>]>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, sections.length);
  for (const [client, clock, structs] of sections) {
    encoding.writeVarUint(encoder.restEncoder, structs.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, clock);
    for (const s of structs) s.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** The state `update` gives a copy of `doc` as it was (`before`). */
function stateWith(before: Uint8Array, update: Uint8Array): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, before);
  Y.applyUpdate(copy, update);
  return Y.encodeStateAsUpdate(copy);
}

beforeEach(() => encode.mockClear());

describe('applyCapturing', () => {
  it('journals a new log entry as the bytes sent, copied, without encoding the transaction', () => {
    const { server, writer } = world();
    const before = Y.encodeStateAsUpdate(server);
    const socketBuffer = Buffer.alloc(4096, 9);
    const sentBytes = edit(writer, (d) => d.getArray<string>('log').push(['second', 'third']));
    const bytes = socketBuffer.subarray(100, 100 + sentBytes.length);
    bytes.set(sentBytes);
    const { effective, failure, whole } = capture(server, bytes);
    expect(whole).toBe(true);
    expect(failure).toBeNull();
    expect(encode).not.toHaveBeenCalled();
    expect(effective).toEqual(new Uint8Array(sentBytes));
    // Its own memory: neither a view that keeps the socket's buffer, nor changed when that buffer is reused.
    expect(effective!.buffer.byteLength).toBe(sentBytes.length);
    bytes.fill(0);
    expect(effective).toEqual(new Uint8Array(sentBytes));
    expect(stateWith(before, effective!)).toEqual(Y.encodeStateAsUpdate(server));
  });

  it.each([
    ['a field set over another value (a delete)', (d: Y.Doc) => d.getMap<string>('tasks').set('t', 'done')],
    ['an entry withdrawn', (d: Y.Doc) => d.getArray<string>('log').delete(0, 1)],
  ])('writes the transaction as Yjs would for %s', (_what, change) => {
    const { server, writer } = world();
    const { effective, yjs, whole } = capture(server, edit(writer, change));
    expect(whole).toBe(false);
    expect(encode).toHaveBeenCalled();
    expect(yjs).not.toBeNull();
    expect(effective).toEqual(yjs);
  });

  it('writes the transaction as Yjs would when integrating deletes what the update does not (a key set concurrently)', () => {
    const { server, writer, other } = world();
    capture(server, edit(other, (d) => d.getMap<string>('tasks').set('new', 'theirs')));
    const bytes = edit(writer, (d) => d.getMap<string>('tasks').set('new', 'mine'));
    expect(Y.decodeUpdate(bytes).ds.clients.size).toBe(0);
    const { effective, yjs, whole } = capture(server, bytes);
    expect(whole).toBe(true);
    expect(Y.decodeUpdate(yjs!).ds.clients.size).toBe(1);
    expect(effective).toEqual(yjs);
  });

  it('never journals a delete of what another member had already deleted', () => {
    const { server, writer, other } = world();
    capture(server, edit(other, (d) => d.getArray<string>('log').delete(0, 1)));
    const bytes = edit(writer, (d) => d.transact(() => {
      d.getArray<string>('log').push(['mine']);
      d.getArray<string>('log').delete(0, 1);
    }));
    const { effective, yjs, whole } = capture(server, bytes);
    expect(whole).toBe(false);
    expect(Y.decodeUpdate(yjs!).ds.clients.size).toBe(0);
    expect(effective).toEqual(yjs);
  });

  it('never journals or passes on bytes Yjs did not read (anything after the delete set)', () => {
    const { server, writer } = world();
    const update = edit(writer, (d) => d.getArray<string>('log').push(['second']));
    const bytes = Buffer.concat([update, Buffer.from('HIDDEN-PAYLOAD'.repeat(20))]);
    const { effective, yjs, whole } = capture(server, bytes);
    expect(whole).toBe(true);
    expect(server.getArray<string>('log').toArray()).toEqual(['first', 'second']);
    expect(effective).toEqual(yjs);
    expect(Buffer.from(effective!).includes('HIDDEN')).toBe(false);
  });

  it('journals what was stored when Yjs cannot place an item (its right neighbour collected): no insertion', () => {
    const { server } = world();
    const client = 100;
    Y.applyUpdate(server, handWritten([[client, 0, [new Y.GC(Y.createID(client, 0), 1)]]]));
    const first = server.getArray<string>('log')._start!;
    const item = new Y.Item(Y.createID(client, 1), null, first.lastId, null, Y.createID(client, 0), null, null, new Y.ContentAny(['evil']));
    const { effective, yjs, whole } = capture(server, handWritten([[client, 1, [item]]]));
    expect(whole).toBe(true);
    expect(server.getArray<string>('log').toArray()).toEqual(['first']);
    expect(effective).toEqual(yjs);
    expect(Y.decodeUpdate(effective!).structs.every((s) => s instanceof Y.GC)).toBe(true);
  });

  it('journals what the document holds when one client comes in two sections (Yjs keeps the last)', () => {
    const { server } = world();
    const before = Y.encodeStateAsUpdate(server);
    const client = 42;
    // A root array named as a string, as Yjs writes an item whose parent is a root type.
    const log = 'log' as unknown as Y.AbstractType<unknown>;
    const a = new Y.Item(Y.createID(client, 0), null, null, null, null, log, null, new Y.ContentAny(['a']));
    const b = new Y.Item(Y.createID(client, 1), null, Y.createID(client, 0), null, null, null, null, new Y.ContentAny(['b']));
    const { effective, yjs } = capture(server, handWritten([[client, 1, [b]], [client, 0, [a]]]));
    expect(effective).toEqual(yjs);
    expect(stateWith(before, effective!)).toEqual(Y.encodeStateAsUpdate(server));
  });

  it('journals the transaction when an observer throws: its content is in the document all the same', () => {
    const { server, writer } = world();
    server.on('afterTransaction', () => {
      throw new Error('an observer failed');
    });
    const { effective, failure, yjs } = capture(server, edit(writer, (d) => d.getArray<string>('log').push(['second'])));
    expect(String(failure)).toContain('an observer failed');
    expect(server.getArray<string>('log').toArray()).toEqual(['first', 'second']);
    expect(yjs).not.toBeNull();
    expect(effective).toEqual(yjs);
  });

  it('journals only what is new of a resend that brings new entries too', () => {
    const { server, writer } = world();
    const old = edit(writer, (d) => d.getArray<string>('log').push(['second']));
    capture(server, old);
    const both = Y.mergeUpdates([old, edit(writer, (d) => d.getArray<string>('log').push(['third']))]);
    const { effective, yjs } = capture(server, both);
    expect(effective).toEqual(yjs);
    expect(Y.decodeUpdate(effective!).structs.map((s) => s.length)).toEqual([1]);
  });

  it('journals everything the document gained when the update lets waiting structs in', () => {
    const { server, writer, other } = world();
    const first = edit(writer, (d) => d.getArray<string>('log').push(['a']));
    Y.applyUpdate(other, first);
    // A remote record that depends on `first` arrives before it and waits.
    const dependent = edit(other, (d) => d.getArray<string>('log').insert(2, ['after a']));
    Y.applyUpdate(server, dependent, 'remote');
    expect(server.store.pendingStructs).not.toBeNull();
    const { effective, yjs } = capture(server, first);
    expect(server.store.pendingStructs).toBeNull();
    expect(effective).toEqual(yjs);
    expect(new Set(Y.decodeUpdate(effective!).structs.map((s) => s.id.client)).size).toBe(2);
  });

  it('journals what integrated before a failure half-way, as Yjs would', () => {
    const { server } = world();
    const origin = { who: 'server' };
    let yjs: Uint8Array | null = null;
    server.on('update', (u: Uint8Array) => (yjs = u));
    const { effective, failure } = applyCapturing(server, origin, () => server.transact(() => {
      server.getArray<string>('log').push(['kept']);
      throw new Error('half-way');
    }, origin), logger, 'doc');
    expect(String(failure)).toContain('half-way');
    expect(yjs).not.toBeNull();
    expect(effective).toEqual(yjs);
  });

  it('is null for a resend of what the document has', () => {
    const { server, writer } = world();
    const bytes = edit(writer, (d) => d.getArray<string>('log').push(['second']));
    capture(server, bytes);
    const again = capture(server, bytes);
    expect(again.effective).toBeNull();
    expect(again.yjs).toBeNull();
  });
});
