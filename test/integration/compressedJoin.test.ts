import { CrisisClient } from '../../client/sdk/crisisClient';
import { type Inflater, defaultInflater } from '../../client/sdk/inflate';
import { nodeInflater } from '../../client/sdk/inflateNode';
import { seedManyEntries } from '../../bench/lib/seedLog';
import { docName } from '../../shared/model/parts';
import { EVENTS } from '../../shared/protocol/messages';
import { testUser } from '../helpers/accounts';
import { connectRaw, emitAck } from '../helpers/rawSocket';
import { sessionChanges } from '../helpers/sessions';
import { connectClient, createIncident, onTeardown, startTestServer, waitFor } from '../helpers/testServer';
import { until } from '../helpers/poll';

jest.setTimeout(120_000);

function clientWith(url: string, name: string, inflater: Inflater | null): CrisisClient {
  const client = new CrisisClient({ url, name, inflater, token: () => testUser(url, name).then((u) => u.token), socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 } });
  onTeardown(() => client.close());
  return client;
}

/** An inflater that counts its calls and, while `gate` is unresolved, holds every answer back. */
function watchedInflater(gate: Promise<void> = Promise.resolve()) {
  const seen = { calls: 0 };
  const inflater: Inflater = async (bytes) => {
    seen.calls += 1;
    await gate;
    return nodeInflater(bytes);
  };
  return { seen, inflater };
}

describe('compressed join answers (accept: deflate-raw)', () => {
  test('a large log joined with and without compression gives the same document', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    await seedManyEntries(server, id, 3_000);

    const { seen, inflater } = watchedInflater();
    const [zipped, plain, browserLike] = [clientWith(server.url, 'Alice', inflater), clientWith(server.url, 'Bob', null), clientWith(server.url, 'Chloé', defaultInflater())];
    const sessions = await Promise.all([zipped, plain, browserLike].map((c) => c.openIncident(id)));
    await Promise.all(sessions.map((s) => s.whenSynced()));
    const texts = sessions.map((s) => s.log.entries().map((e) => `${e.id} ${e.text}`));
    expect(texts[0]).toHaveLength(3_000);
    expect(texts[1]).toEqual(texts[0]);
    // The stream inflater (DecompressionStream, as the web client uses) reads the same answer.
    expect(texts[2]).toEqual(texts[0]);
    // Only the log is large enough to be compressed: one answer inflated.
    expect(seen.calls).toBe(1);

    // Written since: a joiner with nothing gets the same base and the change, compressed apart and read as one stream.
    sessions[1]!.appendLog({ text: 'Relève de 14 h' });
    await sessions[1]!.whenAcknowledged();
    const stream = defaultInflater()!;
    let lateInflated = 0;
    const late = clientWith(server.url, 'Damien', (bytes) => {
      lateInflated++;
      return stream(bytes);
    });
    const lateSession = await late.openIncident(id);
    await lateSession.whenSynced();
    expect(lateSession.log.entries().map((e) => `${e.id} ${e.text}`)).toEqual(sessions[1]!.log.entries().map((e) => `${e.id} ${e.text}`));
    expect(lateSession.log.entries()).toHaveLength(3_001);
    expect(lateInflated).toBe(1);
  });

  test('updates that come while the answer is inflated are applied after it, none lost', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    await seedManyEntries(server, id, 3_000);
    const writer = await connectClient(server.url, 'Alice').openIncident(id);
    await writer.whenSynced();

    let release = () => undefined as void;
    const { seen, inflater } = watchedInflater(new Promise<void>((resolve) => (release = resolve)));
    const joinerClient = clientWith(server.url, 'Bob', inflater);
    const broadcasts = { log: 0 };
    joinerClient.socket.on(EVENTS.update, (message: { doc?: unknown }) => {
      if (message.doc === docName(id, 'log')) broadcasts.log += 1;
    });
    const joiner = await joinerClient.openIncident(id);
    await until(() => seen.calls === 1, 'the log answer is being inflated');

    const written = [];
    for (let i = 0; i < 5; i++) {
      written.push(writer.appendLog({ text: `Pendant la décompression ${i}` }));
      await writer.whenAcknowledged();
    }
    await until(() => broadcasts.log >= 5, 'the joiner received the writes while inflating');
    expect(joiner.log.length).toBe(0);
    release();

    await joiner.whenSynced();
    await waitFor(() => joiner.log.length === 3_005, sessionChanges(joiner), 'every entry at the joiner');
    expect(joiner.log.entries().map((e) => e.id)).toEqual(writer.log.entries().map((e) => e.id));
    expect(written.every((w) => joiner.log.entries().some((e) => e.id === w.id))).toBe(true);
    // The joiner writes on: its copy is whole, nothing pends on a missing update.
    joiner.appendLog({ text: 'Après la décompression' });
    await joiner.whenAcknowledged();
    await waitFor(() => writer.log.length === 3_006, sessionChanges(writer), 'the joiner’s entry at the writer');
  });

  test('a malformed accept is refused with BAD_MESSAGE; unknown encodings are ignored', async () => {
    const server = await startTestServer();
    const id = await createIncident(server.url);
    await seedManyEntries(server, id, 3_000);
    const raw = await connectRaw(server.url, 'Alice');
    const doc = docName(id, 'log');
    const stateVector = new Uint8Array([0]);

    for (const accept of ['deflate-raw', [42], Array.from({ length: 9 }, () => 'deflate-raw')]) {
      const refused = await emitAck(raw, EVENTS.join, { doc, stateVector, accept });
      expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    }
    // Refused: not joined, so nothing can be sent to it.
    expect(await emitAck(raw, EVENTS.update, { doc, update: new Uint8Array([0, 0]) })).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    const unknown = await emitAck(raw, EVENTS.join, { doc, stateVector, accept: ['gzip', 'brotli'] });
    expect(unknown.ok).toBe(true);
    expect(unknown).not.toHaveProperty('encoding');
    const zipped = await emitAck(raw, EVENTS.join, { doc, stateVector, accept: ['gzip', 'deflate-raw'] });
    expect(zipped).toMatchObject({ ok: true, encoding: 'deflate-raw' });
    expect(zipped.ok ? zipped.updates : null).toHaveLength(1);
  });
});
