import * as Y from 'yjs';
import { applyCapturing } from '../../server/documents/effectiveUpdate';
import { applyUpdateNoted } from '../../shared/docs/notedClients';
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

/** As the room applies a client's update: noted with the ids its admission decoded (`noted`), or plainly. */
function journaled(server: Y.Doc, bytes: Uint8Array, noted?: number[]): Uint8Array {
  const origin = { who: 'writer' };
  const apply = noted ? () => applyUpdateNoted(server, bytes, origin, noted) : () => Y.applyUpdate(server, bytes, origin);
  const { effective, failure } = applyCapturing(server, origin, apply, logger, 'doc');
  expect(failure).toBeNull();
  expect(server.getArray<string>('log').toArray()).toEqual(['first', 'second']);
  return effective!;
}

describe('the effective update', () => {
  it('is what Yjs encodes for an honest update', () => {
    const { server, honest } = world();
    expect(journaled(server, honest)).toEqual(honest);
  });

  it('is the same when the update is applied noted with its writer, as the room applies it', () => {
    const { server, honest } = world();
    const [writer] = Y.parseUpdateMeta(honest).to.keys();
    expect(journaled(server, Buffer.concat([honest, Buffer.from('HIDDEN-PAYLOAD')]), [writer!])).toEqual(honest);
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
