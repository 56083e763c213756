import * as Y from 'yjs';
import { z } from 'zod';
import type { DocName } from '../../shared/model/parts';
import { DocNameSchema } from '../../shared/model/parts';
import type { TimelineEvent } from '../../shared/timeline/events';
import type { EventFilter } from '../../shared/timeline/filter';
import { EVENTS } from '../../shared/protocol/messages';
import type { JournalRecord } from '../../server/storage/documentStore';
import { registerPart } from '../../server/parts/registry';
import type { PartModule } from '../../server/parts/partModule';
import { type PartReplayer, eventBase, keep } from '../../server/parts/replay/partReplayer';
import { applyAndCollect } from '../../server/parts/replay/changedRecords';
import { checkValues, describe as where } from '../../server/parts/shape/checks';
import { createIncident, startTestServer } from '../helpers/testServer';
import { type AnyReply, connectRaw, emitAck, joinRaw } from '../helpers/rawSocket';
import { adminToken, api, testUser } from '../helpers/accounts';

jest.setTimeout(60_000);

const NOTES = 'notes';
const NoteSchema = z.string().min(1).max(80);

/** Every note of a record becomes an "incident.updated" event naming the note and its text. */
class NotesReplayer implements PartReplayer {
  readonly part = 'dummy';
  private readonly doc = new Y.Doc();
  private readonly notes = this.doc.getMap<unknown>(NOTES);

  apply(record: JournalRecord, filter: EventFilter): TimelineEvent[] {
    const touched = applyAndCollect(this.doc, this.notes, record.update);
    let n = 0;
    const events: TimelineEvent[] = [...touched].sort().map((key) => ({
      ...eventBase(this.part, record, n++),
      kind: 'incident.updated',
      data: { changes: { [key]: { from: null, to: String(this.notes.get(key)) } } },
    }));
    return keep(filter, events);
  }
}

/**
 * A part the application does not know: notes, one map of short texts keyed by lower-case
 * words, never removed (its shape), each signed with its writer's name (its admission rule).
 */
const dummyPart: PartModule = {
  name: 'dummy',
  roots: [{ name: NOTES, kind: 'map' }],
  policy: {
    checkInsert(container, key, content) {
      if (container.path.length !== 1 || container.path[0] !== NOTES || container.kind !== 'map' || key === null || !/^[a-z]+$/.test(key)) {
        return `${where(container, key)}: notes are lower-case words in one map`;
      }
      return checkValues(NoteSchema, content, where(container, key));
    },
    checkDelete: (container, key) => `${where(container, key)}: notes are never removed`,
  },
  seals: false,
  readRecord: null,
  admission: (ctx) => ({
    checkInsert(_container, key, content) {
      if (content.kind !== 'values' || content.values.every((v) => typeof v === 'string' && v.startsWith(`${ctx.displayName}: `))) return null;
      return { code: 'UPDATE_FORBIDDEN_AUTHOR', message: `note ${key ?? ''} must be signed "${ctx.displayName}: …"` };
    },
    created: (doc, update) => [...update.touchedRecords].filter((k) => !doc.getMap(NOTES).has(k)).length,
  }),
  replayer: () => new NotesReplayer(),
};

describe('a part added at run time', () => {
  test('one call registers it: its updates are guarded by its shape and its rules, journaled, and exported', async () => {
    registerPart(dummyPart);

    const server = await startTestServer();
    const incidentId = await createIncident(server.url);
    const alice = await testUser(server.url, 'Alice');
    const raw = await connectRaw(server.url, 'Alice');
    const name = DocNameSchema.parse(`${incidentId}:dummy`);

    /** One edit made on a copy of what the server holds, sent as an update. */
    const send = async (doc: DocName, edit: (notes: Y.Map<unknown>) => void): Promise<AnyReply> => {
      const joined = await joinRaw(raw, doc);
      joined.doc.transact(() => edit(joined.doc.getMap(NOTES)));
      return emitAck(raw, EVENTS.update, { doc, update: Y.encodeStateAsUpdate(joined.doc, joined.serverStateVector) });
    };

    // Guarded: out of its shape, then against its admission rule; nothing is journaled.
    expect(await send(name, (notes) => notes.set('Pas un mot', 'Alice: hors forme'))).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
    expect(await send(name, (notes) => notes.set('situation', 'x'.repeat(200)))).toMatchObject({ ok: false, error: { code: 'UPDATE_INVALID_CONTENT' } });
    expect(await send(name, (notes) => notes.set('situation', 'Bob: signé par un autre'))).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_AUTHOR' } });
    expect(await server.store.headSeq(name)).toBe(0);

    // A good one is admitted and journaled under its sender.
    expect(await send(name, (notes) => notes.set('situation', 'Alice: standard saturé'))).toEqual({ ok: true, seq: 1 });
    // Its shape holds afterwards too: a note is never removed.
    expect(await send(name, (notes) => notes.delete('situation'))).toMatchObject({ ok: false, error: { code: 'UPDATE_FORBIDDEN_DELETE' } });
    const journal = await server.store.readJournal(name, 0, 10);
    expect(journal).toHaveLength(1);
    expect(journal[0]!.author).toBe(alice.id);
    const replayed = new Y.Doc();
    Y.applyUpdate(replayed, journal[0]!.update);
    expect(replayed.getMap(NOTES).toJSON()).toEqual({ situation: 'Alice: standard saturé' });

    // Exported: the timeline replays its journal after the known parts' and its chain is checked.
    const reply = await api<{ journal: { heads: Array<{ part: string; seq: number; hash: string }> }; events: TimelineEvent[]; integrity: { intact: boolean } }>(
      server.url,
      `/api/incidents/${incidentId}/timeline?format=json`,
      { token: await adminToken(server.url) },
    );
    expect(reply.status).toBe(200);
    const heads = reply.body.journal.heads;
    expect(heads.map((h) => h.part)).toEqual(['meta', 'log', 'tasks', 'decisions', 'reports', 'regulatory', 'dummy']);
    expect(heads[6]).toEqual({ part: 'dummy', seq: 1, hash: journal[0]!.hash });
    expect(reply.body.integrity.intact).toBe(true);
    const notes = reply.body.events.filter((e) => e.ref?.part === ('dummy' as string));
    expect(notes).toEqual([
      expect.objectContaining({ kind: 'incident.updated', authorId: alice.id, ref: { part: 'dummy', seq: 1, hash: journal[0]!.hash }, data: { changes: { situation: { from: null, to: 'Alice: standard saturé' } } } }),
    ]);
  });
});
