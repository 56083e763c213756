import * as Y from 'yjs';
import { applyCapturing } from '../../server/documents/effectiveUpdate';
import { createLogger } from '../../server/logger';

// The journal keeps what the document gained, as Yjs encodes it, never the bytes a client sent:
// Yjs reads past junk a client can hide in an update (after the delete set, inside numbers it
// reads as NaN, in empty sections), and those bytes must reach neither the evidence nor other
// screens. A session tried journaling the client's bytes for speed; a review found these.

const logger = createLogger('silent', 'effective-update-test');

function world() {
  const server = new Y.Doc();
  server.getArray<string>('log').push(['first']);
  const writer = new Y.Doc();
  Y.applyUpdate(writer, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(writer);
  writer.getArray<string>('log').push(['second']);
  return { server, honest: Y.encodeStateAsUpdate(writer, before) };
}

function journaled(server: Y.Doc, bytes: Uint8Array): Uint8Array {
  const origin = { who: 'writer' };
  const { effective, failure } = applyCapturing(server, origin, () => Y.applyUpdate(server, bytes, origin), logger, 'doc');
  expect(failure).toBeNull();
  expect(server.getArray<string>('log').toArray()).toEqual(['first', 'second']);
  return effective!;
}

describe('the effective update', () => {
  it('is what Yjs encodes for an honest update', () => {
    const { server, honest } = world();
    expect(journaled(server, honest)).toEqual(honest);
  });

  it('leaves out bytes after the delete set', () => {
    const { server, honest } = world();
    const record = journaled(server, Buffer.concat([honest, Buffer.from('HIDDEN-PAYLOAD'.repeat(20))]));
    expect(record).toEqual(honest);
  });

  it('leaves out a payload hidden in a count that Yjs reads as NaN', () => {
    const { server, honest } = world();
    expect(honest[honest.length - 1]).toBe(0); // the delete set's client count
    const payload = Buffer.from('seven bits a byte '.repeat(100)).map((b) => b | 0x80);
    const bytes = Buffer.concat([honest.subarray(0, honest.length - 1), Buffer.alloc(150, 0x80), payload, Buffer.from([0x01])]);
    expect(journaled(server, bytes)).toEqual(honest);
  });
});
